import { describe, expect, it } from 'vitest';
import { InvalidPublishEventError, parsePublishEvent } from '../../shared/alerts/publish-event.ts';

const ALERT_ID = 'a1'.repeat(16);

function streamRecord(pk: string, sequenceNumber: string): unknown {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { pk: { S: pk }, sk: { S: 'ALERT' } },
      NewImage: { pk: { S: pk }, sk: { S: 'ALERT' }, outbox: { S: 'pending' } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 120,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

describe('the events the publish function accepts', () => {
  it('reads a stream batch as alert ids with their sequence numbers', () => {
    expect(
      parsePublishEvent({
        Records: [streamRecord(`ALERT#${ALERT_ID}`, '100'), streamRecord('CASE#c-1', '101')],
      }),
    ).toEqual({
      kind: 'stream',
      records: [
        { sequenceNumber: '100', partitionKey: `ALERT#${ALERT_ID}`, alertId: ALERT_ID },
        { sequenceNumber: '101', partitionKey: 'CASE#c-1', alertId: null },
      ],
    });
  });

  it('reads the schedule sweep request', () => {
    expect(parsePublishEvent({ sweep: true })).toEqual({ kind: 'sweep' });
  });

  it.each([
    ['null', null, /got null/],
    ['a string', 'sweep', /got string/],
    ['an array', [{ sweep: true }], /got an array/],
    ['an empty object', {}, /not a sweep request: sweep: /],
    ['sweep false', { sweep: false }, /not a sweep request: sweep: /],
    ['sweep with another key', { sweep: true, chain: 'ethereum' }, /not a sweep request: .*chain/],
    ['an ingest tick', { chain: 'ethereum' }, /not a sweep request/],
    [
      'an SQS batch',
      { Records: [{ eventSource: 'aws:sqs', body: '{}', messageId: 'm-1' }] },
      /not a stream batch: Records\.0\.eventSource/,
    ],
    [
      'a stream record without a sequence number',
      { Records: [{ eventSource: 'aws:dynamodb', dynamodb: { Keys: { pk: { S: `ALERT#${ALERT_ID}` } } } }] },
      /not a stream batch: Records\.0\.dynamodb\.SequenceNumber/,
    ],
    [
      'a stream record without a partition key',
      { Records: [{ eventSource: 'aws:dynamodb', dynamodb: { Keys: {}, SequenceNumber: '1' } }] },
      /not a stream batch: Records\.0\.dynamodb\.Keys\.pk/,
    ],
  ])('rejects %s, saying which two shapes it takes', (_, event, reason) => {
    let caught: unknown;
    try {
      parsePublishEvent(event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPublishEventError);
    expect((caught as Error).message).toContain('{"Records": [...]}');
    expect((caught as Error).message).toContain('{"sweep": true}');
    expect((caught as Error).message).toMatch(reason);
  });
});

/**
 * The outbox sweep: a schedule starts the publish function every 5 minutes with `{"sweep": true}`, so
 * that alerts the table stream gave up on are published once SNS is back, without a manual re-drive.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_MARKER_PARTITION, OUTBOX_PARTITION_PREFIX } from '../../infra/constructs/AlertPublisher.ts';
import { parsePublishEvent } from '../../shared/alerts/publish-event.ts';
import { alertPk, OUTBOX_PK } from '../../shared/store/keys.ts';
import {
  actionsOf,
  type CfnResource,
  functionWithEnvironment,
  getAtt,
  type PolicyStatementJson,
  referencedId,
  resourcesOf,
  resourcesOfType,
  roleOfFunction,
  statementsOfRole,
  synthesizeAgencies,
  templateOf,
} from './synthesizeAgencies.ts';

let template: Template;
let publishId: string;
let sweep: CfnResource;
beforeAll(() => {
  template = templateOf(synthesizeAgencies(), 'northbridge-fiu');
  publishId = functionWithEnvironment(template, 'TOPIC_ARN').logicalId;
  const sweeps = Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule')).filter(
    (schedule) => referencedId((schedule.Properties.Target as { Arn: unknown }).Arn) === publishId,
  );
  expect(sweeps).toHaveLength(1);
  sweep = sweeps[0] as CfnResource;
});

const target = () =>
  sweep.Properties.Target as {
    Arn: unknown;
    Input: string;
    RoleArn: unknown;
    DeadLetterConfig: { Arn: unknown };
  };

function publisherDeadLetterQueue(): string {
  const ids = Object.keys(resourcesOfType(template, 'AWS::SQS::Queue')).filter((id) =>
    id.startsWith('AlertPublisherDeadLetters'),
  );
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('outbox sweep schedule', () => {
  it('starts the publish function every 5 minutes with a sweep request, retries within the interval, and a DLQ', () => {
    expect(sweep.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: getAtt(publishId, 'Arn'),
        Input: JSON.stringify({ sweep: true }),
        DeadLetterConfig: { Arn: getAtt(publisherDeadLetterQueue(), 'Arn') },
        RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 2 },
      },
    });
  });

  it('sends what the publish handler takes as a sweep request', () => {
    expect(parsePublishEvent(JSON.parse(target().Input))).toEqual({ kind: 'sweep' });
  });

  it('sends a failed sweep to the publisher DLQ (alarmed) instead of retrying it', () => {
    const configs = Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')).filter(
      (config) => referencedId(config.Properties.FunctionName) === publishId,
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: getAtt(publisherDeadLetterQueue(), 'Arn') } },
    });
  });

  it('uses a scheduler role of its own that may only invoke the publish function and write to the DLQ', () => {
    const roleId = referencedId(target().RoleArn) as string;
    expect(roleId).toMatch(/^AlertPublisherSweepSchedulerRole/);
    const statements = statementsOfRole(template, roleId);
    expect(
      statements.map((statement) => ({ actions: actionsOf(statement), resources: resourcesOf(statement) })),
    ).toEqual([
      { actions: ['lambda:InvokeFunction'], resources: [getAtt(publishId, 'Arn')] },
      { actions: ['sqs:SendMessage'], resources: [getAtt(publisherDeadLetterQueue(), 'Arn')] },
    ]);
    const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId] as CfnResource;
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111111111111',
              'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:111111111111:schedule-group/default',
            },
          },
        },
      ],
    });
    // No other role starts the publish function.
    const invokers = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement.some(
        (statement) =>
          actionsOf(statement).includes('lambda:InvokeFunction') &&
          JSON.stringify(resourcesOf(statement)).includes(publishId),
      ),
    );
    expect(invokers).toHaveLength(1);
  });
});

describe('outbox sweep grants', () => {
  const sweepStatements = () => {
    const role = roleOfFunction(functionWithEnvironment(template, 'TOPIC_ARN').resource);
    return statementsOfRole(template, role).filter((statement) =>
      actionsOf(statement).some(
        (action) => action === 'dynamodb:Query' || action === 'dynamodb:BatchGetItem',
      ),
    );
  };

  it('query only the outbox markers partition, and batch-read only alert items, of the case table alone', () => {
    const tableId = Object.keys(resourcesOfType(template, 'AWS::DynamoDB::Table'))[0] as string;
    expect(sweepStatements()).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: getAtt(tableId, 'Arn'),
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['OUTBOX'] } },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:BatchGetItem',
        Resource: getAtt(tableId, 'Arn'),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERT#*'] } },
      },
    ]);
  });

  it('name the partitions the store really uses for outbox markers and alerts', () => {
    const alertId = 'ab'.repeat(16);
    expect(OUTBOX_MARKER_PARTITION).toBe(OUTBOX_PK);
    expect(alertPk(alertId).startsWith(OUTBOX_PARTITION_PREFIX)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { alertJsonSchema, parseAlert } from '../../shared/alerts/alert-schema.ts';
import {
  alertEmailText,
  alertSmsText,
  alertSubject,
  messageSize,
  SNS_MAX_MESSAGE_BYTES,
  toAlertMessage,
} from '../../shared/alerts/message.ts';
import { sampleAlert } from '../store/fixtures.ts';

describe('the alert message', () => {
  const alert = sampleAlert({ caseId: 'c-msg', tx: 5, kind: 'EXCHANGE_DEPOSIT' });

  it('is one JSON-structured publish: the alert for queues, text for e-mail and SMS', () => {
    const message = toAlertMessage(alert);
    expect(message.MessageStructure).toBe('json');
    const members = JSON.parse(message.Message) as Record<string, string>;
    expect(Object.keys(members).sort()).toEqual(['default', 'email', 'sms', 'sqs']);
    expect(JSON.parse(members.sqs as string)).toEqual(alert);
    expect(JSON.parse(members.default as string)).toEqual(alert);
    expect(parseAlert(JSON.parse(members.sqs as string))).toEqual(alert);
    expect(members.email).toBe(alertEmailText(alert));
    expect(members.sms).toBe(alertSmsText(alert));
  });

  it('carries the filterable attributes, and the id so duplicates can be dropped', () => {
    expect(toAlertMessage(alert).MessageAttributes).toEqual({
      alertId: { DataType: 'String', StringValue: alert.id },
      severity: { DataType: 'String', StringValue: 'critical' },
      kind: { DataType: 'String', StringValue: 'EXCHANGE_DEPOSIT' },
      caseId: { DataType: 'String', StringValue: 'c-msg' },
      chain: { DataType: 'String', StringValue: 'ethereum' },
      exchange: { DataType: 'String', StringValue: 'Binance' },
    });
    const mixer = sampleAlert({ kind: 'MIXER_DEPOSIT', exchange: null });
    expect(Object.keys(toAlertMessage(mixer).MessageAttributes)).not.toContain('exchange');
    const emptyName = { ...alert, exchange: '' };
    expect(Object.keys(toAlertMessage(emptyName).MessageAttributes)).not.toContain('exchange');
  });

  it('tells an investigator what happened and how to check it', () => {
    const text = alertEmailText(alert);
    expect(text).toMatch(/^Tainted funds reached Binance through a deposit address\./);
    expect(text).toContain('Case:       Bridge hack 2026-11 (c-msg)');
    expect(text).toContain('Amount:     12.5 ETH');
    expect(text).toContain(`Deposit address: ${alert.depositAddress}`);
    expect(text).toContain('Binance can identify and freeze the account behind this deposit address.');
    expect(text).toContain(`Transaction: ${alert.txHash}`);
    expect(text).toContain(`Explorer:   https://etherscan.io/tx/${alert.txHash}`);
    expect(text).toContain('Hop path from the seed (2 hops):');
    expect(text).toContain(
      `  0. ${alert.path[0]?.address} (seed)  https://etherscan.io/address/${alert.path[0]?.address}`,
    );
    expect(text).toContain(`  2. ${alert.to} via ${alert.txHash}`);
    expect(text).toContain(`Alert id: ${alert.id}`);

    const sms = alertSmsText(alert);
    expect(sms).toMatch(/^CRITICAL: Tainted funds reached Binance/);
    expect(sms).toContain('12.5 ETH on ethereum');
    expect(sms).toContain(`Deposit address ${alert.depositAddress}`);
    expect(sms).toContain('Path: 0xfB69…d359 > 0x5aAe…eAed > 0x28C6…1d60.');
    expect(sms).toContain(alert.explorerUrl);
  });

  it('says how much of a partly tainted transfer was tainted', () => {
    const partial = { ...alert, amount: '100', taintedAmount: '12.5' };
    expect(alertEmailText(partial)).toContain('12.5 ETH tainted, of 100 ETH moved');
  });

  it('keeps the e-mail subject within SNS rules', () => {
    const long = { ...alert, caseId: 'x'.repeat(64), exchange: 'Börse «Überweisung»' };
    for (const subject of [alertSubject(alert), alertSubject(long)]) {
      expect(subject.length).toBeLessThanOrEqual(100);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(alertSubject(alert)).toBe(
      '[critical] Tainted funds reached Binance through a deposit address: 12.5 ETH (case c-msg)',
    );
  });

  it('neutralises line breaks and direction overrides coming from label data', () => {
    const hostile = {
      ...alert,
      exchange: 'Binance\nDeposit address: 0xATTACKER',
      counterparty: { ...alert.counterparty, name: 'Bin\u202eecna' },
    };
    const text = alertEmailText(hostile);
    expect(text).not.toContain('\nDeposit address: 0xATTACKER');
    expect(text).not.toContain('\u202e');
    expect(toAlertMessage(hostile).MessageAttributes.exchange?.StringValue).toBe(
      'Binance Deposit address: 0xATTACKER',
    );
  });

  it('measures the message against the SNS limit', () => {
    const message = toAlertMessage(alert);
    expect(messageSize(message)).toBeGreaterThan(Buffer.byteLength(message.Message));
    expect(messageSize(message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
  });

  it('publishes its schema as JSON Schema for subscribers in other languages', () => {
    const schema = alertJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'kind', 'severity', 'txHash', 'path']));
  });
});

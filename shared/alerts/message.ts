/**
 * The SNS message of an alert. One publish serves every kind of subscriber through
 * `MessageStructure: 'json'`: SQS subscribers get the alert JSON (`sqs`), every other protocol without
 * its own member (HTTP, Lambda, email-json) gets it too (`default`), e-mail and SMS subscribers a
 * readable text. Message attributes carry what filter policies match on.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { Alert, AlertKind } from '../domain/alert.ts';

/** SNS's limit on a message and its attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

const WHAT_HAPPENED: Record<AlertKind, (alert: Alert) => string> = {
  EXCHANGE_DEPOSIT: (alert) =>
    `Tainted funds reached ${alert.exchange ?? alert.counterparty.name ?? 'an exchange'}${alert.depositAddress ? ' through a deposit address' : ''}`,
  MIXER_DEPOSIT: (alert) => `Tainted funds entered a mixer${named(alert)}`,
  BRIDGE_DEPOSIT: (alert) => `Tainted funds entered a bridge${named(alert)}`,
  SANCTIONED_COUNTERPARTY: (alert) => `Tainted funds were sent to a sanctioned address${named(alert)}`,
  FUNDS_MOVED: () => 'Tainted funds moved to a new wallet',
};

function named(alert: Alert): string {
  return alert.counterparty.name ? ` (${alert.counterparty.name})` : '';
}

/**
 * Label names and case names come from data and from users: control characters and bidirectional
 * overrides could forge lines or reverse an address in a reader's mail client, so they are removed.
 */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
}

function whatHappened(alert: Alert): string {
  return clean(WHAT_HAPPENED[alert.kind](alert));
}

function explorerBase(alert: Alert): string {
  return alert.explorerUrl.replace(/\/tx\/[^/]*$/, '');
}

function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

function amountLine(alert: Alert): string {
  const symbol = clean(alert.asset.symbol);
  return alert.taintedAmount === alert.amount
    ? `${alert.amount} ${symbol}`
    : `${alert.taintedAmount} ${symbol} tainted, of ${alert.amount} ${symbol} moved`;
}

/** Seed to recipient: the alert's path ends at the sender, the transfer itself is the last hop. */
function hopSteps(alert: Alert): { address: string; txHash: string | null }[] {
  return [...alert.path, { address: alert.to, txHash: alert.txHash }];
}

export function alertSubject(alert: Alert): string {
  const subject = `[${alert.severity}] ${whatHappened(alert)}: ${amountLine(alert)} (case ${alert.caseId})`;
  // SNS subjects: ASCII, no line breaks, at most 100 characters.
  const ascii = clean(subject).replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/** The e-mail body: everything an investigator needs to act and to check it on chain. */
export function alertEmailText(alert: Alert): string {
  const base = explorerBase(alert);
  const lines = [
    `${whatHappened(alert)}.`,
    '',
    `Severity:   ${alert.severity} (${alert.kind})`,
    `Case:       ${clean(alert.caseName)} (${alert.caseId})`,
    `Amount:     ${amountLine(alert)}`,
    `Chain:      ${alert.chain} (chain id ${alert.chainId}), block ${alert.blockNumber}${alert.timestamp ? ` at ${alert.timestamp}` : ''}`,
    `From:       ${alert.from}`,
    `To:         ${alert.to}${alert.counterparty.name ? ` (${clean(alert.counterparty.name)}${alert.counterparty.category ? `, ${clean(alert.counterparty.category)}` : ''})` : ''}`,
  ];
  if (alert.exchange) lines.push(`Exchange:   ${clean(alert.exchange)}`);
  if (alert.depositAddress) {
    lines.push(
      `Deposit address: ${alert.depositAddress}`,
      `  ${alert.exchange ? clean(alert.exchange) : 'The exchange'} can identify and freeze the account behind this deposit address.`,
    );
  }
  lines.push(`Transaction: ${alert.txHash} (${alert.position})`, `Explorer:   ${alert.explorerUrl}`, '');
  const steps = hopSteps(alert);
  lines.push(`Hop path from the seed (${steps.length - 1} hops):`);
  for (const [hop, step] of steps.entries()) {
    lines.push(
      step.txHash === null
        ? `  ${hop}. ${step.address} (seed)  ${base}/address/${step.address}`
        : `  ${hop}. ${step.address} via ${step.txHash}  ${base}/tx/${step.txHash}`,
    );
  }
  lines.push(
    '',
    `Alert id: ${alert.id}. The same event always has the same id: a second message with it is a duplicate.`,
  );
  return `${lines.join('\n')}\n`;
}

/** A short text for phones; the explorer link carries the full evidence. */
export function alertSmsText(alert: Alert): string {
  const parts = [
    `${alert.severity.toUpperCase()}: ${whatHappened(alert)}.`,
    `Case ${clean(alert.caseName)} (${alert.caseId}).`,
    `${amountLine(alert)} on ${alert.chain}.`,
  ];
  if (alert.depositAddress) parts.push(`Deposit address ${alert.depositAddress}.`);
  parts.push(
    `Path: ${hopSteps(alert)
      .map((step) => shortAddress(step.address))
      .join(' > ')}.`,
  );
  parts.push(`Tx ${alert.txHash} ${alert.explorerUrl}`);
  return parts.join(' ');
}

export function alertAttributes(alert: Alert): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    alertId: { DataType: 'String', StringValue: alert.id },
    severity: { DataType: 'String', StringValue: alert.severity },
    kind: { DataType: 'String', StringValue: alert.kind },
    caseId: { DataType: 'String', StringValue: alert.caseId },
    chain: { DataType: 'String', StringValue: alert.chain },
  };
  // SNS rejects an attribute with an empty value: leave it out when there is no exchange.
  if (alert.exchange) attributes.exchange = { DataType: 'String', StringValue: clean(alert.exchange) };
  return attributes;
}

export interface AlertMessage {
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly Subject: string;
  readonly MessageAttributes: Record<string, MessageAttributeValue>;
}

export function toAlertMessage(alert: Alert): AlertMessage {
  const json = JSON.stringify(alert);
  return {
    MessageStructure: 'json',
    Subject: alertSubject(alert),
    Message: JSON.stringify({
      default: json,
      sqs: json,
      email: alertEmailText(alert),
      sms: alertSmsText(alert),
    }),
    MessageAttributes: alertAttributes(alert),
  };
}

/** Bytes SNS counts against its limit: the message plus attribute names, types and values. */
export function messageSize(message: AlertMessage): number {
  let size = Buffer.byteLength(message.Message, 'utf8');
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}

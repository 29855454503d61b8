import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface CaseStoreProps {
  readonly tableKey: IKey;
}

/** The single global secondary index; the store adapter designs its keys. */
export const GSI1 = 'gsi1';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** DynamoDB uses the caller's permission on the table key to decrypt the table key it caches. */
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = [
  ...KEY_READ_ACTIONS,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The agency's single table: cases, seed and tainted wallets, flow edges, alerts with their outbox
 * state, learned labels, per-chain checkpoints. Its stream (new images) feeds the alert publisher.
 *
 * The grants here are narrower than CDK's `grantReadWriteData`: named actions only (no Scan, no
 * `kms:*Key*` wildcards) on the table and on `gsi1` by name rather than `index/*`.
 */
export class CaseStore extends Construct {
  readonly table: Table;
  private readonly tableKey: IKey;

  constructor(scope: Construct, id: string, props: CaseStoreProps) {
    super(scope, id);
    this.tableKey = props.tableKey;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Alerts are published from the stream (outbox); NEW_IMAGE carries the whole alert.
      stream: StreamViewType.NEW_IMAGE,
      // Items meant to expire carry `ttl` in epoch seconds; the store adapter decides which do.
      timeToLiveAttribute: 'ttl',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /** Read items and query gsi1. */
  grantCaseRead(grantee: IGrantable): void {
    this.grantItems(grantee, READ_ACTIONS, KEY_READ_ACTIONS);
  }

  /** Read, write and query gsi1. Transactions need no action of their own beyond these. */
  grantCaseReadWrite(grantee: IGrantable): void {
    this.grantItems(grantee, [...READ_ACTIONS, ...WRITE_ACTIONS], KEY_WRITE_ACTIONS);
  }

  /**
   * The publisher reads the alert (a redelivered record must not publish twice), marks it published
   * with a conditional update and deletes its outbox marker: single items by key, no query, no index.
   */
  grantAlertPublishing(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
      }),
    );
    this.grantKey(grantee, KEY_WRITE_ACTIONS);
  }

  private grantItems(
    grantee: IGrantable,
    itemActions: readonly string[],
    keyActions: readonly string[],
  ): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...itemActions], resources: [this.table.tableArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${GSI1}`],
      }),
    );
    this.grantKey(grantee, keyActions);
  }

  private grantKey(grantee: IGrantable, keyActions: readonly string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...keyActions], resources: [this.tableKey.keyArn] }),
    );
  }
}

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface AgencyKeysProps {
  readonly agencyName: string;
}

/**
 * The agency's customer-managed KMS keys, one per kind of data, so that a key policy or a CloudTrail
 * query answers "who could read case data" separately from "who could read alerts" or "logs".
 * All rotate yearly and are retained when the stack is deleted: destroying a key destroys the
 * evidence encrypted under it.
 */
export class AgencyKeys extends Construct {
  /** Cases, tainted wallets, alerts: the DynamoDB table, its stream and backups. */
  readonly table: Key;
  /** The alert topic and the operations topic. */
  readonly messaging: Key;
  /** Every log group of the stack (function logs, API access logs). */
  readonly logs: Key;

  constructor(scope: Construct, id: string, props: AgencyKeysProps) {
    super(scope, id);
    const { agencyName } = props;
    const stack = Stack.of(this);

    this.table = new Key(this, 'TableKey', {
      description: `laundering-alerts ${agencyName}: case table, its stream and backups`,
      alias: `alias/laundering-alerts/${agencyName}/table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.messaging = new Key(this, 'MessagingKey', {
      description: `laundering-alerts ${agencyName}: alert and operations SNS topics`,
      alias: `alias/laundering-alerts/${agencyName}/messaging`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted operations topic as the CloudWatch service, which
    // needs the key itself; an AWS-managed SNS key cannot be shared with it.
    this.messaging.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        // The actions AWS documents for CloudWatch alarm actions on an encrypted topic.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.logs = new Key(this, 'LogsKey', {
      description: `laundering-alerts ${agencyName}: CloudWatch log groups`,
      alias: `alias/laundering-alerts/${agencyName}/logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts with the key as the regional Logs service, restricted here to the log
    // groups of this account and region (the encryption context Logs always sends).
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountsLogGroups',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        // The actions AWS documents for encrypting log data (CloudWatch Logs user guide, "Encrypt log data").
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
          },
        },
      }),
    );
  }
}

import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { AgencyConfig } from './config/agencyConfig.ts';
import { AgencyKeys } from './constructs/AgencyKeys.ts';
import { AlertPublisher } from './constructs/AlertPublisher.ts';
import { CaseApi } from './constructs/CaseApi.ts';
import { CaseStore } from './constructs/CaseStore.ts';
import { ChainIngest } from './constructs/ChainIngest.ts';
import { Operations } from './constructs/Operations.ts';

export interface AgencyStackProps extends StackProps {
  readonly agency: AgencyConfig;
}

/** `LaunderingAlerts-<agency>`: the CloudFormation stack name of an agency. */
export function agencyStackName(agencyName: string): string {
  return `LaunderingAlerts-${agencyName}`;
}

/** POWERTOOLS_SERVICE_NAME, and so the `service` dimension of the agency's custom metrics. */
export function agencyServiceName(agencyName: string): string {
  return `laundering-alerts-${agencyName}`;
}

/**
 * Everything one agency runs, in its own account: nothing is shared with another agency's stack, no
 * resource has a fixed physical name that could collide, and no value is exported to other stacks.
 */
export class AgencyStack extends Stack {
  readonly agency: AgencyConfig;
  readonly store: CaseStore;
  readonly publisher: AlertPublisher;
  readonly api: CaseApi;
  readonly ingests: readonly ChainIngest[];
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: AgencyStackProps) {
    super(scope, id, {
      description: `laundering-alerts for ${props.agency.name}: follows stolen funds on ${props.agency.chains.map((chain) => chain.name).join(', ')} and alerts when they reach an exchange, a mixer or a bridge`,
      // The stack holds the running alerting of an agency: deleting it takes a deliberate extra step.
      terminationProtection: true,
      ...props,
    });
    const { agency } = props;
    this.agency = agency;
    Tags.of(this).add('laundering-alerts:agency', agency.name);

    const keys = new AgencyKeys(this, 'Keys', { agencyName: agency.name });
    this.store = new CaseStore(this, 'CaseStore', { tableKey: keys.table });

    const serviceName = agencyServiceName(agency.name);
    const commonEnvironment = {
      TABLE_NAME: this.store.table.tableName,
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: 'LaunderingAlerts',
      LOG_LEVEL: 'INFO',
    };
    const logging = { logsKey: keys.logs, logRetention: agency.logRetentionDays as RetentionDays };

    this.ingests = agency.chains.map(
      (chain) =>
        new ChainIngest(this, `Ingest-${chain.name}`, {
          chain,
          store: this.store,
          commonEnvironment,
          ...logging,
        }),
    );

    this.publisher = new AlertPublisher(this, 'AlertPublisher', {
      agencyName: agency.name,
      store: this.store,
      messagingKey: keys.messaging,
      alertEmails: agency.alertEmails,
      subscriberAccounts: agency.subscriberAccounts,
      commonEnvironment,
      ...logging,
    });

    this.api = new CaseApi(this, 'CaseApi', {
      agencyName: agency.name,
      store: this.store,
      chains: agency.chains,
      throttle: agency.apiThrottle,
      commonEnvironment,
      ...logging,
    });

    this.operations = new Operations(this, 'Operations', {
      agencyName: agency.name,
      serviceName,
      messagingKey: keys.messaging,
      operationsEmails: agency.operationsEmails,
      chains: agency.chains.map((chain, index) => ({
        name: chain.name,
        lagAlarmBlocks: chain.lagAlarmBlocks,
        rpcSecretName: chain.rpcSecretName,
        ingest: this.ingests[index] as ChainIngest,
      })),
      publisher: this.publisher,
      api: this.api,
      store: this.store,
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the HTTP API (requests must be SigV4-signed for execute-api)',
      value: this.api.stage.url,
    });
    new CfnOutput(this, 'ApiExecuteArn', {
      description:
        'Prefix of the execute-api:Invoke resource for investigator policies: append /* for the whole API, /*/GET/* for reading only',
      value: this.formatArn({ service: 'execute-api', resource: this.api.httpApi.apiId }),
    });
    new CfnOutput(this, 'AlertTopicArn', {
      description: 'SNS topic carrying the alerts: subscribe e-mail, SQS, HTTPS or another account here',
      value: this.publisher.topic.topicArn,
    });
    new CfnOutput(this, 'TableName', {
      description: 'DynamoDB table holding cases, tainted wallets and alerts',
      value: this.store.table.tableName,
    });
    new CfnOutput(this, 'OperationsTopicArn', {
      description: 'SNS topic receiving the CloudWatch alarms',
      value: this.operations.topic.topicArn,
    });
  }
}

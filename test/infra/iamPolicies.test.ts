import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  type CfnResource,
  functionWithEnvironment,
  getAtt,
  type PolicyStatementJson,
  resourcesOf,
  resourcesOfType,
  roleOfFunction,
  type SynthesizedAgencies,
  statementsOfRole,
  synthesizeAgencies,
  templateOf,
} from './synthesizeAgencies.ts';

let synthesized: SynthesizedAgencies;
let template: Template;
beforeAll(() => {
  synthesized = synthesizeAgencies();
  template = templateOf(synthesized, 'northbridge-fiu');
});

/** Actions that AWS defines without resource-level permissions: the only ones allowed on "*". */
const ACTIONS_WITHOUT_RESOURCE_SCOPE = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'dynamodb:ListStreams',
]);

function logicalIdOf(type: string, prefix: string): string {
  const ids = Object.keys(resourcesOfType(template, type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} starting with ${prefix}`).toHaveLength(1);
  return ids[0] as string;
}

function statementsOfFunction(variable: string, value?: string): PolicyStatementJson[] {
  return statementsOfRole(
    template,
    roleOfFunction(functionWithEnvironment(template, variable, value).resource),
  );
}

/** action -> the resources it is allowed on, over all Allow statements. */
function grants(statements: readonly PolicyStatementJson[]): Map<string, unknown[]> {
  const byAction = new Map<string, unknown[]>();
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    for (const action of actionsOf(statement)) {
      byAction.set(action, [...(byAction.get(action) ?? []), ...resourcesOf(statement)]);
    }
  }
  return byAction;
}

function servicesOf(statements: readonly PolicyStatementJson[]): Set<string> {
  return new Set([...grants(statements).keys()].map((action) => action.split(':')[0] as string));
}

describe('IAM, every role of the stack', () => {
  it('uses no AWS managed policy (their log permissions cover every log group)', () => {
    for (const role of Object.values(resourcesOfType(template, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('grants no wildcard action, and "*" resources only to actions that cannot be scoped', () => {
    for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] })
        .Statement) {
        for (const action of actionsOf(statement)) {
          expect(action).not.toContain('*');
        }
        const wildcards = resourcesOf(statement).filter(
          (resource) => typeof resource === 'string' && resource.includes('*'),
        );
        if (wildcards.length > 0) {
          expect(wildcards).toEqual(['*']);
          for (const action of actionsOf(statement)) expect(ACTIONS_WITHOUT_RESOURCE_SCOPE).toContain(action);
        }
      }
    }
  });

  it('never grants cloudwatch:PutMetricData: metrics go out as embedded-metric-format log lines', () => {
    const text = JSON.stringify(resourcesOfType(template, 'AWS::IAM::Policy'));
    expect(text).not.toContain('cloudwatch:');
  });
});

describe('ingest role', () => {
  it('reads and writes the table and gsi1, uses the table key, and reads only its own chain secret', () => {
    const tableId = logicalIdOf('AWS::DynamoDB::Table', 'CaseStoreTable');
    const tableKeyId = logicalIdOf('AWS::KMS::Key', 'KeysTableKey');
    const statements = statementsOfFunction('CHAIN', 'ethereum');
    const allowed = grants(statements);

    expect(servicesOf(statements)).toEqual(
      new Set(['logs', 'xray', 'sqs', 'dynamodb', 'kms', 'secretsmanager']),
    );
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) {
      expect(allowed.get(action)).toContainEqual(getAtt(tableId, 'Arn'));
    }
    expect(allowed.get('dynamodb:Query')).toContainEqual({
      'Fn::Join': ['', [getAtt(tableId, 'Arn'), '/index/gsi1']],
    });
    expect(allowed.has('dynamodb:Scan')).toBe(false);
    expect(allowed.get('kms:Decrypt')).toEqual([getAtt(tableKeyId, 'Arn')]);
    expect(allowed.get('secretsmanager:GetSecretValue')).toEqual([
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:laundering-alerts/northbridge/ethereum-rpc-??????',
    ]);
    // The dead-letter queue of its own chain only.
    expect(allowed.get('sqs:SendMessage')).toEqual([
      getAtt(logicalIdOf('AWS::SQS::Queue', 'IngestethereumDeadLetters'), 'Arn'),
    ]);
  });

  it('may not read the other chain secret, publish alerts or touch the alert topic key', () => {
    const text = JSON.stringify(statementsOfFunction('CHAIN', 'ethereum'));
    expect(text).not.toContain('arbitrum-rpc');
    expect(text).not.toContain('sns:');
    expect(text).not.toContain('KeysMessagingKey');
  });
});

describe('scheduler roles', () => {
  it('may only start their own function (a chain ingest, the outbox sweep) and write to its dead-letter queue', () => {
    for (const schedule of Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule'))) {
      const target = schedule.Properties.Target as {
        Arn: unknown;
        RoleArn: { 'Fn::GetAtt': [string, string] };
      };
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      const allowed = grants(statementsOfRole(template, roleId));
      expect([...allowed.keys()].sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      expect(allowed.get('lambda:InvokeFunction')).toEqual([target.Arn]);
      const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId] as CfnResource;
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
      expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    }
  });
});

describe('publish role', () => {
  it('reads the table stream, gets, marks published and clears single alert items, sweeps the outbox, and publishes to the alert topic alone', () => {
    const tableId = logicalIdOf('AWS::DynamoDB::Table', 'CaseStoreTable');
    const topicId = logicalIdOf('AWS::SNS::Topic', 'AlertPublisherAlertTopic');
    const messagingKeyId = logicalIdOf('AWS::KMS::Key', 'KeysMessagingKey');
    const statements = statementsOfFunction('TOPIC_ARN');
    const allowed = grants(statements);

    expect(servicesOf(statements)).toEqual(new Set(['logs', 'xray', 'sqs', 'dynamodb', 'kms', 'sns']));
    for (const action of ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream']) {
      expect(allowed.get(action)).toEqual([getAtt(tableId, 'StreamArn')]);
    }
    const onTable = statements.filter((statement) =>
      resourcesOf(statement).some(
        (resource) => JSON.stringify(resource) === JSON.stringify(getAtt(tableId, 'Arn')),
      ),
    );
    expect(
      onTable
        .filter((statement) => statement.Condition === undefined)
        .flatMap(actionsOf)
        .sort(),
    ).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // The sweep's reads, each limited by the partition keys the request names (alertSweep.test.ts).
    expect(
      onTable
        .filter((statement) => statement.Condition !== undefined)
        .flatMap(actionsOf)
        .sort(),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    expect(allowed.has('dynamodb:Scan')).toBe(false);
    expect([...allowed.entries()].filter(([action]) => action.startsWith('sns:'))).toEqual([
      ['sns:Publish', [{ Ref: topicId }]],
    ]);
    expect(allowed.get('kms:GenerateDataKey')).toContainEqual(getAtt(messagingKeyId, 'Arn'));
    expect(JSON.stringify(statements)).not.toContain('secretsmanager:');
  });
});

describe('api role', () => {
  it('reads and writes the table and gsi1 with the table key, and nothing of topics or secrets', () => {
    const tableId = logicalIdOf('AWS::DynamoDB::Table', 'CaseStoreTable');
    const tableKeyId = logicalIdOf('AWS::KMS::Key', 'KeysTableKey');
    const statements = statementsOfFunction('CHAINS');
    const allowed = grants(statements);

    expect(servicesOf(statements)).toEqual(new Set(['logs', 'xray', 'dynamodb', 'kms']));
    expect(allowed.get('dynamodb:PutItem')).toEqual([getAtt(tableId, 'Arn')]);
    expect(allowed.get('dynamodb:Query')).toHaveLength(2);
    expect(allowed.has('dynamodb:Scan')).toBe(false);
    for (const [action, resources] of allowed) {
      if (action.startsWith('kms:')) expect(resources).toEqual([getAtt(tableKeyId, 'Arn')]);
    }
  });
});

describe('key policies', () => {
  it('let CloudWatch Logs use the logs key only for log groups of this account and region', () => {
    const logsKey = resourcesOfType(template, 'AWS::KMS::Key')[
      logicalIdOf('AWS::KMS::Key', 'KeysLogsKey')
    ] as CfnResource;
    const statements = (logsKey.Properties.KeyPolicy as { Statement: PolicyStatementJson[] }).Statement;
    const logsStatement = statements.find((statement) =>
      JSON.stringify(statement.Principal).includes('logs.'),
    );
    expect(logsStatement?.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logsStatement?.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111111111111:log-group:*' },
    });
  });
});

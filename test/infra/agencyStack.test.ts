import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CfnResource,
  functionWithEnvironment,
  getAtt,
  referencedId,
  resourcesOfType,
  type SynthesizedAgencies,
  synthesizeAgencies,
  templateOf,
} from './synthesizeAgencies.ts';

let synthesized: SynthesizedAgencies;
beforeAll(() => {
  synthesized = synthesizeAgencies();
});
const northbridge = () => templateOf(synthesized, 'northbridge-fiu');
const lakeside = () => templateOf(synthesized, 'lakeside-police');
const oneOf = (resources: Record<string, object>): [string, CfnResource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

describe('stacks per agency', () => {
  it('names each stack after its agency and deploys it to the configured account and region', () => {
    expect(synthesized.stacks.map((stack) => stack.stackName)).toEqual([
      'LaunderingAlerts-northbridge-fiu',
      'LaunderingAlerts-lakeside-police',
    ]);
    for (const stack of synthesized.stacks) {
      expect(stack.account).toBe('111111111111');
      expect(stack.region).toBe('eu-west-1');
      expect(stack.terminationProtection).toBe(true);
    }
  });

  it('outputs the API URL, the alert topic ARN and the table name', () => {
    const outputs = northbridge().toJSON().Outputs as Record<string, { Value: unknown }>;
    const [tableId] = oneOf(resourcesOfType(northbridge(), 'AWS::DynamoDB::Table'));
    const [apiId] = oneOf(resourcesOfType(northbridge(), 'AWS::ApiGatewayV2::Api'));
    expect(outputs.TableName?.Value).toEqual({ Ref: tableId });
    expect(referencedId(outputs.AlertTopicArn?.Value)).toMatch(/^AlertPublisherAlertTopic/);
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(apiId);
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('https://');
  });
});

describe('case table', () => {
  it('is on-demand, keyed pk/sk with gsi1, PITR, KMS with the table key, deletion-protected, TTL, NEW_IMAGE stream', () => {
    const [, table] = oneOf(resourcesOfType(northbridge(), 'AWS::DynamoDB::Table'));
    const [tableKeyId] = oneOf(
      northbridge().findResources('AWS::KMS::Key', {
        Properties: { Description: Match.stringLikeRegexp('case table') },
      }),
    );
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(tableKeyId, 'Arn') },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('uses three customer-managed keys, rotated and retained', () => {
    const keys = Object.values(resourcesOfType(northbridge(), 'AWS::KMS::Key'));
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('Lambda functions', () => {
  it('run Node.js 24 on arm64 with X-Ray, source maps and their own encrypted, retained log group', () => {
    const functions = Object.values(resourcesOfType(northbridge(), 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(4); // ingest x2 chains, publish, api
    const logGroups = resourcesOfType(northbridge(), 'AWS::Logs::LogGroup');
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: expect.stringMatching(/^CaseStoreTable/) },
            POWERTOOLS_SERVICE_NAME: 'laundering-alerts-northbridge-fiu',
            LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
      const logGroupId = referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
      const logGroup = logGroups[logGroupId ?? ''];
      expect(logGroup?.Properties.RetentionInDays).toBe(731);
      expect(logGroup?.Properties.KmsKeyId).toBeDefined();
      expect(logGroup?.DeletionPolicy).toBe('Retain');
    }
  });

  it('give each chain its own ingest function with the chain settings, reserved concurrency 1 and a timeout that polls the whole minute', () => {
    const ethereum = functionWithEnvironment(northbridge(), 'CHAIN', 'ethereum').resource;
    expect(ethereum.Properties).toMatchObject({
      ReservedConcurrentExecutions: 1,
      Timeout: 90,
      MemorySize: 1024,
      Environment: {
        Variables: {
          CHAIN: 'ethereum',
          RPC_SECRET_ID: 'laundering-alerts/northbridge/ethereum-rpc',
          BLOCK_TAG: 'safe',
          TRACING: 'block',
          POLL_INTERVAL_MS: '6000',
        },
      },
    });
    const arbitrum = functionWithEnvironment(northbridge(), 'CHAIN', 'arbitrum').resource;
    const variables = (arbitrum.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({
      CONFIRMATIONS: '20',
      TRACING: 'transaction',
      POLL_INTERVAL_MS: '1000',
    });
    expect(variables).not.toHaveProperty('BLOCK_TAG');
    expect(arbitrum.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, MemorySize: 512 });
  });

  it('give the publish function the topic and the api function the chains', () => {
    const publish = functionWithEnvironment(northbridge(), 'TOPIC_ARN').resource;
    expect(
      referencedId(
        (publish.Properties.Environment as { Variables: { TOPIC_ARN: unknown } }).Variables.TOPIC_ARN,
      ),
    ).toMatch(/^AlertPublisherAlertTopic/);
    functionWithEnvironment(northbridge(), 'CHAINS', 'ethereum,arbitrum');
    functionWithEnvironment(lakeside(), 'CHAINS', 'ethereum');
  });

  it('keep RPC URLs out of the template: only the secret name is there', () => {
    const text = JSON.stringify(northbridge().toJSON());
    expect(text).not.toMatch(/infura|alchemy|quicknode|wss:\/\//i);
    expect(text).toContain('laundering-alerts/northbridge/ethereum-rpc');
  });
});

describe('ingest schedule', () => {
  it('starts each chain every minute, with retries bounded to the minute and a dead-letter queue', () => {
    const schedules = Object.values(resourcesOfType(northbridge(), 'AWS::Scheduler::Schedule'));
    // One per chain, and the outbox sweep (alertSweep.test.ts).
    expect(schedules).toHaveLength(3);
    for (const chain of ['ethereum', 'arbitrum']) {
      const { logicalId: functionId } = functionWithEnvironment(northbridge(), 'CHAIN', chain);
      const schedule = schedules.find((candidate) =>
        JSON.stringify((candidate.Properties.Target as { Arn: unknown }).Arn).includes(functionId),
      );
      expect(schedule?.Properties).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: getAtt(functionId, 'Arn'),
          Input: JSON.stringify({ chain }),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLettersQueue/), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
        },
      });
    }
  });

  it('sends failed asynchronous ingest runs to the same dead-letter queue instead of retrying them', () => {
    const { logicalId: functionId } = functionWithEnvironment(northbridge(), 'CHAIN', 'ethereum');
    const [, invokeConfig] = oneOf(
      northbridge().findResources('AWS::Lambda::EventInvokeConfig', {
        Properties: { FunctionName: { Ref: functionId } },
      }),
    );
    const schedule = Object.values(resourcesOfType(northbridge(), 'AWS::Scheduler::Schedule')).find(
      (candidate) => JSON.stringify(candidate.Properties.Target).includes(functionId),
    );
    if (schedule === undefined) throw new Error('no schedule starts the ethereum function');
    const scheduleDlq = (schedule.Properties.Target as { DeadLetterConfig: { Arn: unknown } })
      .DeadLetterConfig.Arn;
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: { OnFailure: { Destination: scheduleDlq } },
    });
  });
});

describe('alert publishing', () => {
  it('reads the table stream, only pending alert items, in batches with bisect, retries and a DLQ', () => {
    const [tableId] = oneOf(resourcesOfType(northbridge(), 'AWS::DynamoDB::Table'));
    const { logicalId: publishId } = functionWithEnvironment(northbridge(), 'TOPIC_ARN');
    const [, mapping] = oneOf(resourcesOfType(northbridge(), 'AWS::Lambda::EventSourceMapping'));
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: publishId },
      EventSourceArn: getAtt(tableId, 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [expect.stringMatching(/^AlertPublisherDeadLetters/), 'Arn'] },
        },
      },
    });
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { pk: { S: [{ prefix: 'ALERT#' }] }, outbox: { S: ['pending'] } } },
      },
    ]);
  });

  it('publishes to a KMS-encrypted topic that refuses plain HTTP and lets the configured accounts subscribe', () => {
    const [topicId, topic] = oneOf(
      northbridge().findResources('AWS::SNS::Topic', {
        Properties: { DisplayName: 'laundering-alerts northbridge-fiu' },
      }),
    );
    expect(topic.Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^KeysMessagingKey/), 'Arn'] },
      SignatureVersion: '2',
    });
    northbridge().hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'AllowConfiguredAccountsToSubscribe',
            Effect: 'Allow',
            Action: 'sns:Subscribe',
            Principal: { AWS: ['arn:aws:iam::333333333333:root', 'arn:aws:iam::444444444444:root'] },
            Resource: { Ref: topicId },
          },
        ]),
      },
    });
  });

  it('subscribes the configured alert e-mail addresses, and no other account for an agency that set none', () => {
    for (const email of ['alerts@northbridge-fiu.example', 'duty-officer@northbridge-fiu.example']) {
      northbridge().hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: Match.stringLikeRegexp('^AlertPublisherAlertTopic') },
      });
    }
    expect(Object.keys(resourcesOfType(lakeside(), 'AWS::SNS::Subscription'))).toHaveLength(0);
    expect(JSON.stringify(resourcesOfType(lakeside(), 'AWS::SNS::TopicPolicy'))).not.toContain(
      'sns:Subscribe',
    );
  });
});

describe('HTTP API', () => {
  it('requires IAM (SigV4) authorization on every route, and sends every route to the api function', () => {
    const routes = Object.values(resourcesOfType(northbridge(), 'AWS::ApiGatewayV2::Route'));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    }
    // Reads have routes of their own, so that an IAM policy can allow reading alone.
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      '$default',
      'GET /',
      'GET /{proxy+}',
    ]);
    const { logicalId: apiFunctionId } = functionWithEnvironment(northbridge(), 'CHAINS');
    for (const integration of Object.values(
      resourcesOfType(northbridge(), 'AWS::ApiGatewayV2::Integration'),
    )) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: getAtt(apiFunctionId, 'Arn'),
      });
    }
  });

  it('throttles and writes JSON access logs naming the caller to an encrypted log group', () => {
    const [, stage] = oneOf(resourcesOfType(northbridge(), 'AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    const accessLogs = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(accessLogs.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', userArn: '$context.identity.userArn' });
    const logGroup = resourcesOfType(northbridge(), 'AWS::Logs::LogGroup')[
      referencedId(accessLogs.DestinationArn) ?? ''
    ];
    expect(logGroup?.Properties.KmsKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^KeysLogsKey/), 'Arn'],
    });
    // The default throttle for an agency that sets none.
    lakeside().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });
});

describe('encryption everywhere', () => {
  it('encrypts every queue, topic, log group and table, and every queue and topic refuses plain HTTP', () => {
    const template = northbridge();
    for (const queue of Object.values(resourcesOfType(template, 'AWS::SQS::Queue'))) {
      expect(
        queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined,
      ).toBe(true);
    }
    for (const topic of Object.values(resourcesOfType(template, 'AWS::SNS::Topic'))) {
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    }
    for (const logGroup of Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.KmsKeyId).toBeDefined();
    }
    for (const table of Object.values(resourcesOfType(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    }
    const tlsOnly = (policyType: string, targetKey: string) =>
      Object.values(resourcesOfType(template, policyType))
        .filter((policy) =>
          JSON.stringify(policy.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
        )
        .flatMap((policy) => (policy.Properties[targetKey] as unknown[]).map(referencedId));
    expect(new Set(tlsOnly('AWS::SQS::QueuePolicy', 'Queues'))).toEqual(
      new Set(Object.keys(resourcesOfType(template, 'AWS::SQS::Queue'))),
    );
    expect(new Set(tlsOnly('AWS::SNS::TopicPolicy', 'Topics'))).toEqual(
      new Set(Object.keys(resourcesOfType(template, 'AWS::SNS::Topic'))),
    );
  });
});

describe('dead-letter queues and alarms', () => {
  it('gives every asynchronous path a dead-letter queue, and every queue is one', () => {
    const template = northbridge();
    const targets = new Set<string | undefined>();
    for (const schedule of Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule'))) {
      const dlq = (schedule.Properties.Target as { DeadLetterConfig?: { Arn: unknown } }).DeadLetterConfig;
      expect(dlq).toBeDefined();
      targets.add(referencedId(dlq?.Arn));
    }
    for (const mapping of Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping'))) {
      const destination = (mapping.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } })
        ?.OnFailure;
      expect(destination).toBeDefined();
      targets.add(referencedId(destination?.Destination));
    }
    const invokeConfigs = Object.values(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig'));
    // Every function started asynchronously (by a schedule) has an on-failure destination.
    const scheduled = Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule')).map((schedule) =>
      referencedId((schedule.Properties.Target as { Arn: unknown }).Arn),
    );
    for (const functionId of scheduled) {
      const config = invokeConfigs.find(
        (candidate) => referencedId(candidate.Properties.FunctionName) === functionId,
      );
      const destination = (config?.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } })
        ?.OnFailure;
      expect(destination).toBeDefined();
      targets.add(referencedId(destination?.Destination));
    }
    expect(targets).toEqual(new Set(Object.keys(resourcesOfType(template, 'AWS::SQS::Queue'))));
  });

  it('alarms on every DLQ, every function error, ingest lag per chain and publish failures, to the operations topic', () => {
    const template = northbridge();
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    const [operationsTopicId] = oneOf(
      template.findResources('AWS::SNS::Topic', {
        Properties: { DisplayName: Match.stringLikeRegexp('operations$') },
      }),
    );
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: operationsTopicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: operationsTopicId }]);
    }
    const alarmText = alarms.map((alarm) => JSON.stringify(alarm.Properties));
    for (const queueId of Object.keys(resourcesOfType(template, 'AWS::SQS::Queue'))) {
      expect(
        alarmText.filter(
          (text) => text.includes(queueId) && text.includes('ApproximateNumberOfMessagesVisible'),
        ),
      ).toHaveLength(1);
    }
    for (const functionId of Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'))) {
      expect(
        alarmText.filter((text) => text.includes(functionId) && text.includes('"MetricName":"Errors"')),
      ).toHaveLength(1);
    }
    for (const [chain, threshold] of [
      ['ethereum', 40],
      ['arbitrum', 2400],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        Metrics: [
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'LaunderingAlerts',
                MetricName: 'IngestLagBlocks',
                Dimensions: [
                  { Name: 'chain', Value: chain },
                  { Name: 'service', Value: 'laundering-alerts-northbridge-fiu' },
                ],
              },
            }),
          }),
        ],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: [
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'LaunderingAlerts',
              MetricName: 'PublishFailures',
              Dimensions: [{ Name: 'service', Value: 'laundering-alerts-northbridge-fiu' }],
            },
          }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'cloud-ops@northbridge-fiu.example',
      TopicArn: { Ref: operationsTopicId },
    });
  });

  it('has a dashboard per agency', () => {
    northbridge().hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['LaunderingAlerts-northbridge-fiu-', { Ref: 'AWS::Region' }]] },
    });
  });
});

describe('two agencies', () => {
  it('get two stacks that share nothing: no imports, no exports, no name of the other agency', () => {
    const [first, second] = [northbridge().toJSON(), lakeside().toJSON()];
    for (const [template, otherAgency] of [
      [first, 'lakeside'],
      [second, 'northbridge'],
    ] as const) {
      const text = JSON.stringify(template);
      expect(text).not.toContain('Fn::ImportValue');
      expect(text).not.toContain(otherAgency);
      for (const output of Object.values(template.Outputs as Record<string, { Export?: unknown }>)) {
        expect(output.Export).toBeUndefined();
      }
    }
  });

  it('each have their own table, keys, topics, queues and functions', () => {
    for (const template of [northbridge(), lakeside()]) {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.resourceCountIs('AWS::KMS::Key', 3);
      template.resourceCountIs('AWS::SNS::Topic', 2);
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    }
    lakeside().resourceCountIs('AWS::Lambda::Function', 3);
    lakeside().resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('name every resource that has a fixed name after its agency, so two agencies in one account do not collide', () => {
    const namedProperties = [
      'AliasName',
      'DashboardName',
      'Name',
      'TableName',
      'FunctionName',
      'TopicName',
      'QueueName',
      'RoleName',
      'LogGroupName',
    ];
    for (const [template, agency] of [
      [northbridge(), 'northbridge-fiu'],
      [lakeside(), 'lakeside-police'],
    ] as const) {
      for (const [logicalId, resource] of Object.entries(
        template.toJSON().Resources as Record<string, CfnResource>,
      )) {
        for (const property of namedProperties) {
          const name = resource.Properties[property];
          // A Ref or GetAtt points at another resource; only literal names can collide.
          if (name === undefined || referencedId(name) !== undefined) continue;
          expect(`${logicalId}.${property}=${JSON.stringify(name)}`).toContain(agency);
        }
      }
    }
  });
});

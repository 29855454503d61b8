import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ChainConfig } from '../config/agencyConfig.ts';
import { functionEntry } from '../paths.ts';
import { AgencyFunction } from './AgencyFunction.ts';
import type { CaseStore } from './CaseStore.ts';

export interface CaseApiProps {
  readonly agencyName: string;
  readonly store: CaseStore;
  readonly chains: readonly ChainConfig[];
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly commonEnvironment: Readonly<Record<string, string>>;
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

/**
 * One JSON line per request. The caller's IAM identity is logged because the API is used by named
 * investigators: the access log is the record of who looked at or changed which case.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  accountId: '$context.identity.accountId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
};

/**
 * The investigators' HTTP API: every route requires a SigV4-signed request from an IAM identity the
 * agency allows (execute-api:Invoke), requests are throttled, and each one is access-logged.
 * Every request goes to the api function, which routes and answers 404 itself. Reads have routes of
 * their own (`GET /`, `GET /{proxy+}`) so that an IAM policy can allow reading alone (the API's ARN
 * followed by `/STAGE/GET/PATH` wildcards, docs/DEPLOYING.md); everything else takes `$default`.
 */
export class CaseApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly function: AgencyFunction;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: CaseApiProps) {
    super(scope, id);

    this.function = new AgencyFunction(this, 'Api', {
      entry: functionEntry('api'),
      description:
        'laundering-alerts: the investigators HTTP API (cases, seeds, tainted wallets, alerts, flows)',
      memorySize: 512,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(29),
      environment: { ...props.commonEnvironment, CHAINS: props.chains.map((chain) => chain.name).join(',') },
      logsKey: props.logsKey,
      logRetention: props.logRetention,
    });
    props.store.grantCaseReadWrite(this.function.fn);

    const integration = new HttpLambdaIntegration('ApiFunction', this.function.fn);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `laundering-alerts-${props.agencyName}`,
      description: `laundering-alerts ${props.agencyName}: cases, seeds, tainted wallets, alerts, flow graphs`,
      defaultAuthorizer: new HttpIamAuthorizer(),
      defaultIntegration: integration,
      // The stage is created below with throttling and access logs, which the default stage cannot take.
      createDefaultStage: false,
    });

    for (const path of ['/', '/{proxy+}']) {
      this.httpApi.addRoutes({ path, methods: [HttpMethod.GET], integration });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }
}

import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOCKFILE, REPO_ROOT } from '../paths.ts';

export interface AgencyFunctionProps {
  /** Absolute path of the TypeScript entry file exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly reservedConcurrentExecutions?: number;
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

/**
 * ESM bundles may import CommonJS dependencies (the X-Ray SDK under Powertools Tracer) that call
 * `require` on Node built-ins; esbuild's ESM output has no `require`, so the bundle defines one.
 * This is the banner the Powertools documentation gives for ESM bundles.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * One Lambda function of the agency stack, with the settings every function shares: Node.js 24 on
 * arm64, an ESM bundle built locally by esbuild (no Docker) with source maps, active X-Ray tracing,
 * an encrypted log group with a retention period, and a role of its own that starts empty: it may
 * write to its log group, send traces, and nothing else until the caller grants more.
 */
export class AgencyFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AgencyFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A role of our own instead of AWSLambdaBasicExecutionRole, whose logs permissions cover every
    // log group of the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // Stack traces in the logs point into the TypeScript sources, not the minified bundle.
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCKFILE,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK version the tests ran against instead of the runtime's, and keep ESM
        // resolution independent of the runtime's NODE_PATH.
        bundleAwsSDK: true,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" is granted only for xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), which support no resource-level permissions (Service Authorization Reference, AWS X-Ray).',
    });
  }
}

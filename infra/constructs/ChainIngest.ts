import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ChainConfig } from '../config/agencyConfig.ts';
import { functionEntry } from '../paths.ts';
import { AgencyFunction } from './AgencyFunction.ts';
import type { CaseStore } from './CaseStore.ts';
import { DeadLetterQueue } from './DeadLetterQueue.ts';
import { invokeOnSchedule } from './invokeOnSchedule.ts';

export interface ChainIngestProps {
  readonly chain: ChainConfig;
  readonly store: CaseStore;
  /** Environment every function of the agency receives (TABLE_NAME, POWERTOOLS_*, LOG_LEVEL). */
  readonly commonEnvironment: Readonly<Record<string, string>>;
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
}

/**
 * The schedule fires every minute; the invocation keeps polling the chain until its remaining time
 * falls under the handler's safety margin (30 s, so that a block range is never cut in the middle),
 * then finishes its last range. A 90 s timeout therefore polls for the whole minute: alerts wait one
 * polling interval, not one minute. The next tick may arrive while that last range finishes; with a
 * reserved concurrency of one (a single writer per chain checkpoint) Lambda holds it back and starts
 * it as soon as the previous run ends, within the event age below.
 */
export const INGEST_TIMEOUT = Duration.seconds(90);

/** How long a tick may wait for the previous run before it is dropped into the DLQ (and alarmed). */
export const INGEST_TICK_MAX_AGE = Duration.minutes(2);

/**
 * Reading one chain: a Lambda function (reserved concurrency 1), its every-minute schedule, its RPC
 * secret, and the dead-letter queue of both asynchronous hops (Scheduler -> Lambda, Lambda's own
 * asynchronous invocation).
 */
export class ChainIngest extends Construct {
  readonly function: AgencyFunction;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: ChainIngestProps) {
    super(scope, id);
    const { chain } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      holds: `${chain.name} ingest ticks the scheduler could not deliver and runs that failed`,
    });

    const depth: Record<string, string> =
      chain.blockTag !== undefined
        ? { BLOCK_TAG: chain.blockTag }
        : { CONFIRMATIONS: String(chain.confirmations) };

    this.function = new AgencyFunction(this, 'Ingest', {
      entry: functionEntry('ingest'),
      description: `laundering-alerts: follows tainted funds on ${chain.name}`,
      memorySize: chain.memoryMb,
      timeout: INGEST_TIMEOUT,
      reservedConcurrentExecutions: 1,
      environment: {
        ...props.commonEnvironment,
        CHAIN: chain.name,
        // The secret's name, never its value: the function reads and caches the RPC URLs at run time.
        RPC_SECRET_ID: chain.rpcSecretName,
        ...depth,
        TRACING: chain.tracing,
        POLL_INTERVAL_MS: String(chain.pollIntervalMs),
      },
      logsKey: props.logsKey,
      logRetention: props.logRetention,
    });
    const fn = this.function.fn;

    // A failed run is not retried: the next tick starts from the same checkpoint a minute later, and
    // a retry would only compete with it. The failure itself is kept in the DLQ and alarmed. (Throttled
    // ticks are not failures: Lambda keeps retrying those until the event age runs out.)
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: INGEST_TICK_MAX_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue.queue),
    });

    props.store.grantCaseReadWrite(fn);
    Secret.fromSecretNameV2(this, 'RpcSecret', chain.rpcSecretName).grantRead(fn);

    this.schedule = invokeOnSchedule(this, {
      roleId: 'SchedulerRole',
      scheduleId: 'EveryMinute',
      fn,
      deadLetterQueue: this.deadLetterQueue.queue,
      rate: Duration.minutes(1),
      input: { chain: chain.name },
      description: `laundering-alerts: starts the ${chain.name} ingest run every minute`,
      roleDescription: `laundering-alerts: lets EventBridge Scheduler start the ${chain.name} ingest function`,
    });
  }
}

import { type Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface ScheduledInvocationProps {
  /** Construct ids in `scope`, kept stable so logical ids do not move. */
  readonly roleId: string;
  readonly scheduleId: string;
  readonly fn: IFunction;
  readonly deadLetterQueue: IQueue;
  readonly rate: Duration;
  readonly input: Record<string, unknown>;
  readonly description: string;
  readonly roleDescription: string;
}

/**
 * An EventBridge Scheduler schedule that invokes one function, with a dead-letter queue. The scheduler
 * gets its own role, limited to invoking this one function (not its versions and aliases, which CDK's
 * default target role adds as `<function>:*`) and to the dead-letter queue, and trusted only for this
 * account's default schedule group.
 */
export function invokeOnSchedule(scope: Construct, props: ScheduledInvocationProps): Schedule {
  const stack = Stack.of(scope);
  const role = new Role(scope, props.roleId, {
    description: props.roleDescription,
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
  role.addToPolicy(
    new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.fn.functionArn] }),
  );
  role.addToPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
  );
  return new Schedule(scope, props.scheduleId, {
    description: props.description,
    schedule: ScheduleExpression.rate(props.rate),
    target: new LambdaInvoke(props.fn, {
      // Immutable: the grants above are the whole policy.
      role: role.withoutPolicyUpdates(),
      input: ScheduleTargetInput.fromObject(props.input),
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: props.rate,
    }),
  });
}

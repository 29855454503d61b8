import { Token, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addAgencyStacks } from '../../infra/agencyApp.ts';
import { parseDeploymentConfig } from '../../infra/config/agencyConfig.ts';
import { type SynthesizedAgencies, synthesizeAgencies, TWO_AGENCIES, testApp } from './synthesizeAgencies.ts';

let synthesized: SynthesizedAgencies;
beforeAll(() => {
  synthesized = synthesizeAgencies();
});

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AWS Solutions checks', () => {
  it('find nothing unacknowledged in the two agency stacks', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('are acknowledged only for DLQs without DLQs and for actions AWS cannot scope, each with its reason', () => {
    const acknowledgements = acknowledgementsUnder(synthesized.app);
    expect(new Set(acknowledgements.map((acknowledgement) => acknowledgement.id))).toEqual(
      new Set(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-SQS3']),
    );
    for (const { id, reason, path } of acknowledgements) {
      if (id === 'AwsSolutions-SQS3') {
        expect(path).toMatch(/DeadLetters\/Queue$/);
        expect(reason).toContain('is itself a dead-letter queue');
      } else {
        // Only execution roles of functions carry the IAM5 acknowledgement (X-Ray, stream listing).
        expect(path).toMatch(/\/(Ingest|Publish|Api)\/Role$/);
        expect(reason).toMatch(/xray:PutTraceSegments|dynamodb:ListStreams/);
      }
    }
  });

  it('pass for an agency without account or region, deployed wherever the credentials point', () => {
    const config = parseDeploymentConfig(
      {
        agencies: [
          {
            name: 'anywhere-unit',
            chains: [{ name: 'base', rpcSecretName: 'base-rpc', blockTag: 'finalized', tracing: 'off' }],
          },
        ],
      },
      'test config',
    );
    const app = testApp();
    const [stack] = addAgencyStacks(app, config.agencies);
    if (stack === undefined) throw new Error('no stack');
    expect(Token.isUnresolved(stack.region)).toBe(true);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    // The regional Logs principal follows the deployment region.
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          }),
        ]),
      },
    });
  });

  it('run on every synth of the app and fail it on a new finding', () => {
    const config = parseDeploymentConfig({ agencies: [TWO_AGENCIES.agencies[1]] }, 'test config');
    const app = testApp();
    const [stack] = addAgencyStacks(app, config.agencies);
    if (stack === undefined) throw new Error('no stack');
    // A queue without encryption policy or TLS enforcement: AwsSolutions-SQS3 and SQS4.
    new Queue(stack, 'UncheckedQueue');
    expect(() => app.synth()).toThrow(
      /LaunderingAlerts-lakeside-police\/UncheckedQueue[\s\S]*AwsSolutions-SQS4/,
    );
  });
});

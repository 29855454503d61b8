import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AgencyStack } from '../../infra/AgencyStack.ts';
import { addAgencyStacks } from '../../infra/agencyApp.ts';
import { parseDeploymentConfig } from '../../infra/config/agencyConfig.ts';

/**
 * Two agencies in the same account and region, so that any fixed physical name or shared resource
 * would collide. Northbridge watches two chains with every option set; Lakeside takes the defaults.
 */
export const TWO_AGENCIES = {
  agencies: [
    {
      name: 'northbridge-fiu',
      account: '111111111111',
      region: 'eu-west-1',
      chains: [
        {
          name: 'ethereum',
          rpcSecretName: 'laundering-alerts/northbridge/ethereum-rpc',
          blockTag: 'safe',
          tracing: 'block',
          pollIntervalMs: 6000,
          lagAlarmBlocks: 40,
          memoryMb: 1024,
        },
        {
          name: 'arbitrum',
          rpcSecretName: 'laundering-alerts/northbridge/arbitrum-rpc',
          confirmations: 20,
          tracing: 'transaction',
        },
      ],
      alertEmails: ['alerts@northbridge-fiu.example', 'duty-officer@northbridge-fiu.example'],
      operationsEmails: ['cloud-ops@northbridge-fiu.example'],
      subscriberAccounts: ['333333333333', '444444444444'],
      logRetentionDays: 731,
      apiThrottle: { rateLimit: 20, burstLimit: 40 },
    },
    {
      name: 'lakeside-police',
      account: '111111111111',
      region: 'eu-west-1',
      chains: [
        {
          name: 'ethereum',
          rpcSecretName: 'laundering-alerts/lakeside/ethereum-rpc',
          confirmations: 12,
          tracing: 'off',
        },
      ],
    },
  ],
};

export interface SynthesizedAgencies {
  readonly app: App;
  readonly stacks: readonly AgencyStack[];
  /** Keyed by agency name. */
  readonly templates: ReadonlyMap<string, Template>;
}

/** The context of cdk.json (feature flags), so the tests build the app `cdk synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/**
 * An app as `cdk synth` builds it, minus two costs that test nothing the templates show: bundling
 * (esbuild, seconds per function) and CDK's built-in CloudFormation rule validation (a WASM engine,
 * seconds per synth; cdkApp.test.ts runs the real app with it). cdk-nag still runs on synthesis.
 */
export function testApp(): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
}

/** Synthesizes the agency stacks of a config document. */
export function synthesizeAgencies(document: unknown = TWO_AGENCIES): SynthesizedAgencies {
  const config = parseDeploymentConfig(document, 'test config');
  const app = testApp();
  const stacks = addAgencyStacks(app, config.agencies);
  const templates = new Map(stacks.map((stack) => [stack.agency.name, Template.fromStack(stack)]));
  return { app, stacks, templates };
}

export function templateOf(synthesized: SynthesizedAgencies, agencyName: string): Template {
  const template = synthesized.templates.get(agencyName);
  if (template === undefined) throw new Error(`no template for agency ${agencyName}`);
  return template;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** Logical id -> resource, for one CloudFormation type. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The one function whose environment has `variable` set to `value` (or set at all). */
export function functionWithEnvironment(
  template: Template,
  variable: string,
  value?: string,
): { logicalId: string; resource: CfnResource } {
  const matches = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => {
      const variables = (
        resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined
      )?.Variables;
      return (
        variables !== undefined &&
        variable in variables &&
        (value === undefined || variables[variable] === value)
      );
    },
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected one function with ${variable}${value === undefined ? '' : `=${value}`}, found ${matches.length}`,
    );
  }
  const [logicalId, resource] = matches[0] as [string, CfnResource];
  return { logicalId, resource };
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every statement of the inline policies attached to a role (by its logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap((policy) => {
    const roles = (policy.Properties.Roles as unknown[] | undefined) ?? [];
    const attached = roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }));
    if (!attached) return [];
    return (policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement;
  });
}

/** The logical id of a function's execution role. */
export function roleOfFunction(resource: CfnResource): string {
  const role = resource.Properties.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const logicalId = role?.['Fn::GetAtt']?.[0];
  if (logicalId === undefined) throw new Error('function role is not a role of this stack');
  return logicalId;
}

/** `{ "Fn::GetAtt": [id, attribute] }` as the template writes it. */
export function getAtt(logicalId: string, attribute: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

/** The logical id a `{Ref}` or `{Fn::GetAtt}` points to. */
export function referencedId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return reference.Ref ?? reference['Fn::GetAtt']?.[0];
}

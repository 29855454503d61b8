import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AgencyStack, agencyStackName } from './AgencyStack.ts';
import type { AgencyConfig } from './config/agencyConfig.ts';

/**
 * Adds one stack per agency to the app and registers the cdk-nag AWS Solutions checks, which run
 * on every synth (and so before every deploy): an unacknowledged finding fails the synth.
 */
export function addAgencyStacks(app: App, agencies: readonly AgencyConfig[]): AgencyStack[] {
  const stacks = agencies.map(
    (agency) =>
      new AgencyStack(app, agencyStackName(agency.name), {
        agency,
        // Without an account or region the stack deploys wherever the CLI's credentials point.
        env:
          agency.account === undefined && agency.region === undefined
            ? undefined
            : { account: agency.account, region: agency.region },
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stacks;
}

import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { type AgencyConfig, AgencyConfigError } from './config/agencyConfig.ts';
import { loadDeploymentConfig, selectAgencies } from './config/loadAgencyConfig.ts';

/**
 * The CDK app (cdk.json runs it with tsx).
 *   npx cdk deploy --all                    every agency of agencies.json
 *   npx cdk deploy -c agency=NAME           one agency
 *   npx cdk deploy -c config=PATH ...       another config file
 */
const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? 'agencies.json');
const requested: unknown = app.node.tryGetContext('agency');

let agencies: AgencyConfig[];
try {
  const config = loadDeploymentConfig(resolve(configPath));
  agencies = selectAgencies(config, requested === undefined ? undefined : String(requested), configPath);
} catch (error) {
  if (error instanceof AgencyConfigError) {
    // The message says which field or name is wrong; a stack trace would only bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// Loaded only once the config is valid, so that a config error is reported in a second, not after
// loading every construct library.
const { addAgencyStacks } = await import('./agencyApp.ts');
addAgencyStacks(app, agencies);

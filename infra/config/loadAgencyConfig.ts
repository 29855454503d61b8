import { readFileSync } from 'node:fs';
import {
  type AgencyConfig,
  AgencyConfigError,
  type DeploymentConfig,
  parseDeploymentConfig,
} from './agencyConfig.ts';

/** Reads and validates the config file (JSON). */
export function loadDeploymentConfig(path: string): DeploymentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new AgencyConfigError(
      `Cannot read the agency config ${path}: ${reason}. Create it (see docs/DEPLOYING.md) or pass -c config=PATH.`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AgencyConfigError(`The agency config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseDeploymentConfig(document, path);
}

/**
 * `-c agency=NAME` narrows the app to one agency; without it every agency is synthesized
 * (`cdk deploy --all`). An unknown name is an error that lists the names the file defines.
 */
export function selectAgencies(
  config: DeploymentConfig,
  requested: string | undefined,
  source: string,
): AgencyConfig[] {
  if (requested === undefined) return [...config.agencies];
  const agency = config.agencies.find((candidate) => candidate.name === requested);
  if (agency === undefined) {
    const names = config.agencies.map((candidate) => candidate.name).join(', ');
    throw new AgencyConfigError(
      `Unknown agency "${requested}" (-c agency=${requested}). Agencies in ${source}: ${names}.`,
    );
  }
  return [agency];
}

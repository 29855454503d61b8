import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../infra/config/loadAgencyConfig.ts';
import { cdkJsonContext } from './synthesizeAgencies.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs infra/app.ts the way the CDK CLI does (context and output directory in the environment), in a
 * child process with every AWS credential source removed. Bundling is skipped: it only runs esbuild.
 */
function runApp(context: Record<string, unknown>): { status: number | null; stderr: string; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-app-'));
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('CDK_')) environment[name] = value;
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...environment,
      AWS_CONFIG_FILE: join(outdir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context }),
    },
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

describe('the CDK app (infra/app.ts)', () => {
  it('is the app cdk.json runs', () => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string };
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
  });

  it('synthesizes one cdk-nag-clean template per agency of agencies.json, without AWS credentials', () => {
    const agencies = loadDeploymentConfig(join(REPO_ROOT, 'agencies.json')).agencies;
    const { status, stderr, outdir } = runApp({});
    expect(stderr).not.toContain('ERROR');
    expect(status).toBe(0);
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual(
      agencies.map((agency) => `LaunderingAlerts-${agency.name}.template.json`).sort(),
    );
    const report = join(outdir, 'validation-report.json');
    if (existsSync(report)) {
      const { pluginReports } = JSON.parse(readFileSync(report, 'utf8')) as {
        pluginReports: { conclusion: string }[];
      };
      expect(pluginReports.filter((plugin) => plugin.conclusion !== 'success')).toEqual([]);
    }
  });

  it('stops with a one-line error listing the agencies when the name is unknown', () => {
    const names = loadDeploymentConfig(join(REPO_ROOT, 'agencies.json')).agencies.map(
      (agency) => agency.name,
    );
    const { status, stderr } = runApp({ agency: 'no-such-agency' });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      `Unknown agency "no-such-agency" (-c agency=no-such-agency). Agencies in agencies.json: ${names.join(', ')}.`,
    );
  });

  it('stops with the file name when -c config=PATH does not exist', () => {
    const { status, stderr } = runApp({ config: 'missing-agencies.json' });
    expect(status).toBe(1);
    expect(stderr).toContain('missing-agencies.json: file not found');
    expect(stderr).not.toContain('    at ');
  });
});

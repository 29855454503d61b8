import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../shared/cli/cli-io.ts';
import { COMMANDS, main } from '../../shared/cli/main.ts';

const ROOT = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'cli-commands-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    errIsTerminal: false,
    env: {},
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

/**
 * Runs the real bin in a Node process that records every module it resolves (module.registerHooks,
 * Node >= 22.15), and returns those inside the project and its node_modules, as paths from the root.
 */
function modulesLoadedBy(...args: string[]): string[] {
  const recorder = join(scratch, 'record-modules.mjs');
  writeFileSync(
    recorder,
    `import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => process.stderr.write('\\nMODULES ' + JSON.stringify([...loaded]) + '\\n'));
`,
  );
  const run = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(recorder).href, join(ROOT, 'bin/laundering-alerts.mjs'), ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const line = run.stderr.split('\n').find((text) => text.startsWith('MODULES '));
  expect(line, run.stderr).toBeDefined();
  const root = pathToFileURL(ROOT).href;
  return (JSON.parse((line as string).slice('MODULES '.length)) as string[])
    .filter((url) => url.startsWith(root))
    .map((url) => url.slice(root.length + 1));
}

describe('the laundering-alerts command list', () => {
  it('names and sums up each command as its own module does', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
    expect(COMMANDS.map((entry) => entry.name)).toEqual([
      'backtest',
      'cases',
      'seeds',
      'wallets',
      'alerts',
      'graph',
    ]);
  });

  it('lists every command with its summary under --help', async () => {
    const captured = captureIo();
    expect(await main(['--help'], captured.io)).toBe(0);
    for (const entry of COMMANDS) {
      expect(captured.out()).toContain(`  ${entry.name.padEnd('backtest'.length)}  ${entry.summary}\n`);
    }
  });

  it('prints the usage of a command from its module', async () => {
    const captured = captureIo();
    expect(await main(['help', 'backtest'], captured.io)).toBe(0);
    expect(captured.out()).toMatch(/^Usage: laundering-alerts backtest --data DIR/);
    const cases = captureIo();
    expect(await main(['cases', '--help'], cases.io)).toBe(0);
    expect(cases.out()).toMatch(/cases/);
  });
});

describe.skipIf(!('registerHooks' in nodeModule))('modules loaded at startup', () => {
  const commandModules =
    /^shared\/(cli\/(backtest|api)|etl|labels|domain)\/|^node_modules\/(ethers|@aws-sdk|@smithy)\//;

  it('--help loads no command module, no ETL reader and no SDK', () => {
    const loaded = modulesLoadedBy('--help');
    expect(loaded).toContain('shared/cli/main.ts');
    expect(loaded.filter((path) => commandModules.test(path))).toEqual([]);
  });

  it('backtest loads the backtest, not the API commands or the AWS SDK', () => {
    const loaded = modulesLoadedBy('backtest', '--help');
    expect(loaded).toContain('shared/cli/backtest/backtest-command.ts');
    expect(
      loaded.filter((path) => /^shared\/cli\/api\/|^node_modules\/(@aws-sdk|@smithy)\//.test(path)),
    ).toEqual([]);
  });

  it('an API command loads the API commands, not the backtest', () => {
    const loaded = modulesLoadedBy('cases', '--help');
    expect(loaded).toContain('shared/cli/api/commands.ts');
    expect(loaded.filter((path) => /^shared\/(cli\/backtest|etl)\//.test(path))).toEqual([]);
  });
});

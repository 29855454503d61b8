import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgencyConfigError, parseDeploymentConfig } from '../../infra/config/agencyConfig.ts';
import { KNOWN_CHAINS } from '../../infra/config/chains.ts';
import { loadDeploymentConfig, selectAgencies } from '../../infra/config/loadAgencyConfig.ts';
import { chainRegistry } from '../../shared/labels/chains.ts';
import { TWO_AGENCIES } from './synthesizeAgencies.ts';

/** A deep copy of the two-agency document with `edit` applied to it. */
function edited(edit: (document: typeof TWO_AGENCIES & Record<string, unknown>) => void): unknown {
  const document = structuredClone(TWO_AGENCIES) as typeof TWO_AGENCIES & Record<string, unknown>;
  edit(document);
  return document;
}

function errorOf(document: unknown): string {
  try {
    parseDeploymentConfig(document, 'agencies.json');
  } catch (error) {
    expect(error).toBeInstanceOf(AgencyConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

type MutableChain = Record<string, unknown>;
const firstChain = (document: typeof TWO_AGENCIES): MutableChain =>
  document.agencies[0]?.chains[0] as unknown as MutableChain;

describe('agency config', () => {
  it('accepts the two-agency config and fills the defaults', () => {
    const config = parseDeploymentConfig(TWO_AGENCIES, 'agencies.json');
    const lakeside = config.agencies[1];
    expect(lakeside?.name).toBe('lakeside-police');
    expect(lakeside?.alertEmails).toEqual([]);
    expect(lakeside?.subscriberAccounts).toEqual([]);
    expect(lakeside?.logRetentionDays).toBe(365);
    expect(lakeside?.apiThrottle).toEqual({ rateLimit: 50, burstLimit: 100 });
    // Ethereum's 12 s blocks: poll once a slot, alarm after ~10 minutes (50 blocks) behind.
    expect(lakeside?.chains[0]).toMatchObject({
      confirmations: 12,
      pollIntervalMs: 12_000,
      lagAlarmBlocks: 50,
      memoryMb: 512,
    });
    // Arbitrum's 0.25 s blocks: poll every second, alarm at 2400 blocks.
    expect(config.agencies[0]?.chains[1]).toMatchObject({ pollIntervalMs: 1000, lagAlarmBlocks: 2400 });
    // Explicit values win over defaults.
    expect(config.agencies[0]?.chains[0]).toMatchObject({
      blockTag: 'safe',
      pollIntervalMs: 6000,
      lagAlarmBlocks: 40,
    });
  });

  it('allows only chains the functions know (the shared chain registry)', () => {
    for (const chain of KNOWN_CHAINS) {
      expect(chainRegistry.get(chain), chain).toBeDefined();
    }
  });

  it('accepts the agencies.json shipped in the repository, with two agencies', () => {
    const config = loadDeploymentConfig(new URL('../../agencies.json', import.meta.url).pathname);
    expect(config.agencies.length).toBeGreaterThanOrEqual(2);
  });

  it('names the chain entry that sets neither confirmations nor blockTag', () => {
    const message = errorOf(
      edited((document) => {
        delete firstChain(document).blockTag;
      }),
    );
    expect(message).toContain('Invalid agency config in agencies.json');
    expect(message).toContain('agencies[0] (northbridge-fiu).chains[0].confirmations');
    expect(message).toContain('got neither');
  });

  it('rejects a chain that sets both confirmations and blockTag', () => {
    const message = errorOf(
      edited((document) => {
        firstChain(document).confirmations = 12;
      }),
    );
    expect(message).toContain('agencies[0] (northbridge-fiu).chains[0].confirmations');
    expect(message).toContain('got both');
  });

  it('rejects an unknown chain and lists the known ones', () => {
    const message = errorOf(
      edited((document) => {
        firstChain(document).name = 'solana';
      }),
    );
    expect(message).toContain('agencies[0] (northbridge-fiu).chains[0].name');
    expect(message).toContain(KNOWN_CHAINS.join(', '));
  });

  it('rejects a misspelt key instead of ignoring it', () => {
    const message = errorOf(
      edited((document) => {
        firstChain(document).confirmation = 12;
      }),
    );
    expect(message).toContain('agencies[0] (northbridge-fiu).chains[0]');
    expect(message).toContain('confirmation');
  });

  it('rejects an RPC URL where a secret name belongs, so URLs never reach the template', () => {
    const message = errorOf(
      edited((document) => {
        firstChain(document).rpcSecretName = 'https://mainnet.infura.io/v3/0123456789abcdef';
      }),
    );
    expect(message).toContain('chains[0].rpcSecretName: must be a Secrets Manager secret name');
  });

  it('rejects an unknown tracing mode, naming the three it accepts', () => {
    const message = errorOf(
      edited((document) => {
        firstChain(document).tracing = true;
      }),
    );
    expect(message).toContain('chains[0].tracing: must be "block"');
  });

  it('rejects bad account ids, regions, e-mail addresses and retention periods, each by field', () => {
    const message = errorOf(
      edited((document) => {
        const agency = document.agencies[0] as unknown as Record<string, unknown>;
        agency.account = '12345';
        agency.region = 'Europe';
        agency.alertEmails = ['not-an-address'];
        agency.subscriberAccounts = ['arn:aws:iam::333333333333:root'];
        agency.logRetentionDays = 100;
      }),
    );
    expect(message).toContain('agencies[0] (northbridge-fiu).account: must be a 12-digit AWS account id');
    expect(message).toContain('agencies[0] (northbridge-fiu).region: must be an AWS region code');
    expect(message).toContain('agencies[0] (northbridge-fiu).alertEmails[0]: must be an e-mail address');
    expect(message).toContain(
      'agencies[0] (northbridge-fiu).subscriberAccounts[0]: must be a 12-digit AWS account id',
    );
    expect(message).toContain('agencies[0] (northbridge-fiu).logRetentionDays: must be one of');
  });

  it('rejects duplicate agency names and duplicate chains of an agency', () => {
    const message = errorOf(
      edited((document) => {
        (document.agencies[1] as { name: string }).name = 'northbridge-fiu';
        const chains = document.agencies[0]?.chains as unknown as MutableChain[];
        chains.push({ ...chains[0] });
      }),
    );
    expect(message).toContain('agencies[1] (northbridge-fiu).name: duplicate value "northbridge-fiu"');
    expect(message).toContain('agencies[0] (northbridge-fiu).chains[2].name: duplicate value "ethereum"');
  });

  it('rejects an agency name that cannot be part of a stack name', () => {
    const message = errorOf(
      edited((document) => {
        (document.agencies[0] as { name: string }).name = 'Northbridge FIU';
      }),
    );
    expect(message).toContain('agencies[0] (Northbridge FIU).name: must be 3-32 characters');
  });

  it('rejects an empty config', () => {
    expect(errorOf({ agencies: [] })).toContain('agencies: must list at least one agency');
    expect(errorOf([])).toContain('(top level)');
  });

  it('reports a missing file and invalid JSON with the file name', () => {
    const directory = mkdtempSync(join(tmpdir(), 'agency-config-'));
    expect(() => loadDeploymentConfig(join(directory, 'missing.json'))).toThrow(
      /missing\.json: file not found/,
    );
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '{ "agencies": [ }');
    expect(() => loadDeploymentConfig(broken)).toThrow(/broken\.json is not valid JSON/);
  });
});

describe('selecting agencies (-c agency=NAME)', () => {
  const config = parseDeploymentConfig(TWO_AGENCIES, 'agencies.json');

  it('selects every agency without a name, and exactly one with a name', () => {
    expect(selectAgencies(config, undefined, 'agencies.json').map((agency) => agency.name)).toEqual([
      'northbridge-fiu',
      'lakeside-police',
    ]);
    expect(selectAgencies(config, 'lakeside-police', 'agencies.json').map((agency) => agency.name)).toEqual([
      'lakeside-police',
    ]);
  });

  it('rejects an unknown name and lists the names the file defines', () => {
    expect(() => selectAgencies(config, 'northbridge', 'agencies.json')).toThrow(
      'Unknown agency "northbridge" (-c agency=northbridge). Agencies in agencies.json: northbridge-fiu, lakeside-police.',
    );
  });
});

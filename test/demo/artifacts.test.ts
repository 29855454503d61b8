import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDemoContracts, DEMO_CONTRACTS } from '../../contracts/compile.ts';

describe('committed demo contract artifacts', () => {
  it('match a fresh offline compile of contracts/*.sol (rebuild: npx tsx contracts/build.ts)', () => {
    const fresh = compileDemoContracts();
    for (const name of DEMO_CONTRACTS) {
      const committed = JSON.parse(
        readFileSync(new URL(`../../infra/local/demo/artifacts/${name}.json`, import.meta.url), 'utf8'),
      );
      expect(committed, name).toEqual(JSON.parse(JSON.stringify(fresh[name])));
      expect(committed.deployedBytecode.length, name).toBeGreaterThan(2);
    }
  });
});

import { writeFileSync } from 'node:fs';
import { compileDemoContracts, DEMO_CONTRACTS } from './compile.ts';

/**
 * Compiles the demo contracts and writes their ABIs and bytecode to infra/local/demo/artifacts/, which
 * are committed: `npm start` must not need a compiler. Run after editing a contract:
 *   npx tsx contracts/build.ts
 */
const artifacts = compileDemoContracts();
for (const contract of DEMO_CONTRACTS) {
  const target = new URL(`../infra/local/demo/artifacts/${contract}.json`, import.meta.url);
  writeFileSync(target, `${JSON.stringify(artifacts[contract], null, 2)}\n`);
  process.stdout.write(`wrote ${target.pathname}\n`);
}

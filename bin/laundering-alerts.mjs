#!/usr/bin/env node
// The `laundering-alerts` command. The sources are TypeScript written as erasable syntax only, so Node
// runs them as they are where it strips types without a warning (Node 24); older Nodes (22) get tsx's
// loader registered first. Either way there is no build step and startup stays short.
const [major] = process.versions.node.split('.').map(Number);
if (!(process.features.typescript && major >= 24)) {
  const { register } = await import('tsx/esm/api');
  register();
}
// EPIPE: the reader of our output went away (`| head`): stop quietly, like any Unix tool.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import(new URL('../shared/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));

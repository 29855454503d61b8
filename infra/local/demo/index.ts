/**
 * The demo laundering scenario `npm start` replays on the embedded Ethereum node: `runDemoScenario`
 * mines it, `expectedDemoAlerts` says what the pipeline must raise from it. See README.md.
 */
export {
  counterpartyLabelMismatches,
  DEMO_COUNTERPARTIES,
  DEMO_TOKENS,
  DEMO_WALLETS,
  demoSeed,
} from './cast.ts';
export type {
  DemoActors,
  DemoAlertExpectation,
  DemoMovement,
  DemoScenarioLog,
  DemoSetupAction,
  DemoStep,
  DemoStepId,
} from './demo-log.ts';
export type { DemoNode } from './demo-rpc.ts';
export {
  DemoArtifactError,
  DemoChainError,
  DemoNodeNotFreshError,
  DemoPremiseError,
  DemoRpcError,
  DemoStepError,
} from './errors.ts';
export {
  type DemoCleanAddress,
  describeExpectedAlert,
  type ExpectedDemoAlert,
  type ExpectedDemoAlertsOptions,
  type ExpectedDemoOutcome,
  type ExpectedDepositAddress,
  expectedDemoAlerts,
  matchesExpectedAlert,
} from './expected-alerts.ts';
export { DEMO_AMOUNTS, type DemoScenarioOptions, LOCAL_CHAIN_ID, runDemoScenario } from './scenario.ts';

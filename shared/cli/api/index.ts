export { ApiClient, ApiProblemError, ApiUnreachableError } from './api-client.ts';
export { apiCommands } from './commands.ts';
export { executeApiRegion, sigV4Signer } from './sigv4.ts';

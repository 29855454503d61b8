import { createApiHandler } from '../../shared/api/api-handler.ts';
import { apiDepsFromEnv } from '../../shared/api/env.ts';

/** API Gateway HTTP API (IAM auth, payload 2.0) -> the route table of shared/api. */
export const handler = createApiHandler(apiDepsFromEnv());

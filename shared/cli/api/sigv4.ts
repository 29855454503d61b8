/**
 * SigV4 signing of API requests for an API Gateway protected by IAM authorization. Credentials come
 * from the AWS SDK's default provider chain (environment, shared config and SSO profiles, container
 * and instance roles): nothing is read or stored by this code.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** https://{api-id}.execute-api.{region}.amazonaws.com: the region is part of the host. */
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The region to sign for, when the URL is an API Gateway endpoint; undefined for any other URL. */
export function executeApiRegion(url: URL): string | undefined {
  return EXECUTE_API_HOST.exec(url.hostname)?.[1];
}

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/** Returns the headers to send (the given ones plus authorization, x-amz-date and the like). */
export function sigV4Signer(
  region: string,
  credentials: AwsCredentialIdentityProvider = defaultProvider(),
): RequestSigner {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const existing = query[name];
      query[name] =
        existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body !== undefined ? { body } : {}),
    });
    return signed.headers as Record<string, string>;
  };
}

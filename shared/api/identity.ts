import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';

/**
 * Who is calling. In AWS the routes use IAM authorization, so API Gateway has verified the SigV4
 * signature and put the principal in the request context; the local server injects a fixed
 * developer identity the same way. The ARN is what the audit trail records.
 */
export interface Caller {
  /** IAM principal ARN, e.g. arn:aws:iam::123456789012:user/analyst or an assumed-role session. */
  readonly arn: string;
  readonly accountId: string;
}

export function callerOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): Caller | undefined {
  const iam = event.requestContext?.authorizer?.iam;
  if (!iam) return undefined;
  const arn = iam.userArn || iam.callerId;
  if (!arn) return undefined;
  return { arn, accountId: iam.accountId ?? '' };
}

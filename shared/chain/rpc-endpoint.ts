/**
 * One RPC URL of a chain and its health. A URL that fails is put aside until `downUntil`; while another
 * URL is healthy the client fails over to it at once, and only when all are resting does it wait.
 */
export class RpcEndpoint {
  readonly url: string;
  /** What logs and errors may show: the origin only, because providers put API keys in the path. */
  readonly label: string;
  downUntil = 0;
  consecutiveFailures = 0;
  /** Set once eth_chainId has been checked on this URL (a promise so concurrent callers share it). */
  chainIdCheck: Promise<void> | undefined;

  constructor(url: string) {
    this.url = url;
    this.label = redactRpcUrl(url);
  }

  isHealthy(now: number): boolean {
    return this.downUntil <= now;
  }

  putAside(now: number, cooldownMs: number): void {
    this.consecutiveFailures += 1;
    this.downUntil = now + cooldownMs;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.downUntil = 0;
  }
}

export function redactRpcUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden =
      (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.username;
    return `${parsed.protocol}//${parsed.host}${hidden ? '/...' : ''}`;
  } catch {
    return '(unparseable RPC URL)';
  }
}

/**
 * The endpoint to use next: the first healthy one in configured order (the operator lists the preferred
 * provider first), else the one that comes back soonest.
 */
export function pickEndpoint(endpoints: readonly RpcEndpoint[], now: number): RpcEndpoint {
  let soonest: RpcEndpoint | undefined;
  for (const endpoint of endpoints) {
    if (endpoint.isHealthy(now)) return endpoint;
    if (!soonest || endpoint.downUntil < soonest.downUntil) soonest = endpoint;
  }
  if (!soonest) throw new Error('no RPC endpoint configured');
  return soonest;
}

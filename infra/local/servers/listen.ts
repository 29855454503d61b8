import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Every embedded server binds loopback only: nothing of the local stack is reachable from the network. */
export const LOOPBACK = '127.0.0.1';

export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new PortUnavailableError(port, error));
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections?.();
  });
}

export class PortUnavailableError extends Error {
  constructor(port: number, cause: Error) {
    super(`cannot listen on ${LOOPBACK}:${port}: ${cause.message}`, { cause });
    this.name = 'PortUnavailableError';
  }
}

/**
 * A DynamoDB endpoint in front of dynalite that can answer as a throttled or failing DynamoDB would,
 * over the real JSON protocol: how the API's 429 and 503 are tested without a real AWS account.
 */
import { createServer, request as forward } from 'node:http';
import { closeServer, LOOPBACK, listenOnLoopback } from '../../infra/local/servers/listen.ts';

export type FaultMode = 'pass' | 'throttle' | 'fail';

export interface DynamoDbFaultProxy {
  readonly endpoint: string;
  mode: FaultMode;
  /**
   * In 'pass' mode, fail just the requests this picks (by operation, e.g. 'UpdateItem', and JSON body)
   * with an InternalServerError: a crash between two writes of one API call.
   */
  failWhen: ((operation: string, body: string) => boolean) | undefined;
  close(): Promise<void>;
}

export async function startDynamoDbFaultProxy(target: string): Promise<DynamoDbFaultProxy> {
  const upstream = new URL(target);
  const proxy: { mode: FaultMode; failWhen: DynamoDbFaultProxy['failWhen'] } = {
    mode: 'pass',
    failWhen: undefined,
  };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const operation =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const picked = proxy.failWhen?.(operation, Buffer.concat(chunks).toString('utf8')) === true;
      if (proxy.mode !== 'pass' || picked) {
        const type =
          proxy.mode === 'throttle' ? 'ProvisionedThroughputExceededException' : 'InternalServerError';
        const body = JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${type}`,
          message: 'injected by the test proxy',
        });
        outgoing.writeHead(proxy.mode === 'throttle' ? 400 : 500, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': type,
          'content-length': Buffer.byteLength(body),
        });
        outgoing.end(body);
        return;
      }
      const relay = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        },
      );
      relay.on('error', () => outgoing.destroy());
      relay.end(Buffer.concat(chunks));
    });
  });
  const port = await listenOnLoopback(server, 0);
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    get mode() {
      return proxy.mode;
    },
    get failWhen() {
      return proxy.failWhen;
    },
    set failWhen(picker) {
      proxy.failWhen = picker;
    },
    set mode(mode: FaultMode) {
      proxy.mode = mode;
    },
    close: () => closeServer(server),
  };
}

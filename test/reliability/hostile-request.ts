import http from 'node:http';
import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent as written: no normalising of `..` or percent-encoding (fetch would resolve them). */
  path: string;
  /** Any Host (node:http sends ours when given; fetch would not). */
  headers?: Record<string, string>;
  body?: Buffer | string;
  agent?: http.Agent;
  timeoutMs?: number;
}

/**
 * One HTTP request to the engine exactly as written, for hostile headers and paths.
 * Rejects on a timeout or a dropped connection, which the callers count as "did not answer".
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: { host: url.host, ...request.headers },
        agent: request.agent ?? false,
        timeout: request.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${request.method ?? 'GET'} ${request.path}: no answer in time`)),
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** The JSON-RPC error code in an answer's body, if it is one. */
export function rpcErrorCode(body: string): number | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: number } }).error?.code;
  } catch {
    return undefined;
  }
}

/** Writes `head` as the whole request (no Host unless it has one) and returns the status code. */
export function rawStatus(baseUrl: string, head: string): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    let text = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in time')));
    socket.on('connect', () => socket.write(head));
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed without a status line: ${text.slice(0, 100)}`)));
  });
}

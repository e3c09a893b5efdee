import net from 'node:net';

export interface PartialBody {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The Content-Length the request claims. */
  declared: number;
  /** How many body bytes actually go out. */
  sent: number;
}

/**
 * A request whose body stops short: the head claims `declared` bytes, `sent` of them are written,
 * and the socket stays open for the caller to hold (a slow client) or destroy (an aborted upload).
 */
export function openPartialRequest(baseUrl: string, request: PartialBody): Promise<net.Socket> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    socket.on('error', () => undefined); // the engine may reset it; that is its right
    socket.once('connect', () => {
      const head = [
        `${request.method} ${request.path} HTTP/1.1`,
        `Host: ${url.host}`,
        `Content-Length: ${request.declared}`,
        ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n');
      // A JSON-looking start, so a parser that eagerly looks at the body sees something plausible.
      const body = Buffer.alloc(request.sent, 0x20);
      body.write(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"',
      );
      socket.write(head);
      socket.write(body, () => resolve(socket));
    });
    socket.once('error', reject);
    socket.setTimeout(60_000, () => socket.destroy());
  });
}

/** One aborted upload: the partial body, a moment for the engine to start reading, then a reset. */
export async function abortedUpload(
  baseUrl: string,
  request: Omit<PartialBody, 'declared' | 'sent'>,
): Promise<void> {
  const socket = await openPartialRequest(baseUrl, { ...request, declared: 1_000_000, sent: 200 });
  await new Promise((r) => setTimeout(r, 100));
  socket.destroy();
  await new Promise((r) => setTimeout(r, 100));
}

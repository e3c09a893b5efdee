import net from 'node:net';

export interface SlowReader {
  /** Bytes taken off the socket so far. */
  received(): number;
  destroy(): void;
}

/**
 * A GET (an SSE stream) whose reader takes `bytesPerTick` bytes every `tickMs` (0: never reads), so
 * the kernel buffers fill and the engine's writes back up. Destroy it when done.
 */
export function slowReader(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  options: { bytesPerTick: number; tickMs: number },
): Promise<SlowReader> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    let received = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.pause();
      const head = [
        `GET ${path} HTTP/1.1`,
        `Host: ${url.host}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ];
      socket.write(head.join('\r\n'), () => {
        if (options.bytesPerTick > 0) {
          timer = setInterval(() => {
            const chunk = socket.read(options.bytesPerTick) as Buffer | null;
            if (chunk) received += chunk.length;
          }, options.tickMs);
        }
        resolve({
          received: () => received,
          destroy: () => {
            clearInterval(timer);
            socket.destroy();
          },
        });
      });
    });
  });
}

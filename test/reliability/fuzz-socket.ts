import net from 'node:net';

export interface HelloAnswer {
  ok?: unknown;
  error?: unknown;
  /** Every JSON line the engine sent (up to the number asked for). */
  lines: unknown[];
  /** The engine ended the connection by itself. */
  closed: boolean;
}

/**
 * Opens the engine's local socket directly, writes `hello` (any bytes) and reads `lines` lines
 * back; then waits briefly for the engine to end the connection (it must, after a refusal).
 * Bounded: 5 s in all; the connection is always destroyed afterwards.
 */
export function helloAnswer(socketPath: string, hello: Buffer | string, lines = 1): Promise<HelloAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const answer: HelloAnswer = { lines: [], closed: false };
    let buffered = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const first = answer.lines[0] as { ok?: unknown; error?: unknown } | undefined;
      resolve({ ...answer, ok: first?.ok, error: first?.error });
    };
    const timer = setTimeout(finish, 5000);
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      if (hello.length === 0) socket.end();
      else socket.write(hello);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1 && answer.lines.length < lines) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          answer.lines.push(JSON.parse(line));
        } catch {
          answer.lines.push(`(not JSON) ${line.slice(0, 200)}`);
        }
      }
      // Answered: let go of our side; a refused connection is already being ended by the engine.
      if (answer.lines.length >= lines) socket.end();
    });
    socket.on('end', () => (answer.closed = true));
    socket.on('close', finish);
  });
}

import type { Frame } from './fuzz-frames.js';
import type { McpHttpClient } from './hostile-mcp-http.js';
import { rpcErrorCode } from './hostile-request.js';

/** What came back for the frames POSTed to one MCP endpoint. */
export interface HttpTally {
  sent: number;
  byStatus: Record<string, number>;
  /** JSON-RPC error codes in the bodies, and `result` for results. */
  byCode: Record<string, number>;
  /** Frames answered otherwise than expected (or not at all), by kind, with one example. */
  wrong: Record<string, { count: number; example: string }>;
  stopped?: string;
}

/** POSTs each frame as a body, `concurrency` at a time, and checks each answer against the frame. */
export async function postFrames(
  client: McpHttpClient,
  frames: Iterable<Frame>,
  options: { concurrency: number; deadline: number },
): Promise<HttpTally> {
  const tally: HttpTally = { sent: 0, byStatus: {}, byCode: {}, wrong: {} };
  const iterator = frames[Symbol.iterator]();
  const bump = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);
  const wrong = (frame: Frame, example: string) => {
    const entry = (tally.wrong[frame.kind] ??= { count: 0, example });
    entry.count++;
  };
  const worker = async () => {
    for (;;) {
      if (Date.now() > options.deadline) return void (tally.stopped = 'the time bound ran out');
      const next = iterator.next();
      if (next.done) return;
      const frame = next.value;
      tally.sent++;
      const expect = frame.http ?? frame.expect;
      try {
        const answer = await client.post(frame.bytes);
        bump(tally.byStatus, String(answer.status));
        const code = rpcErrorCode(answer.body);
        if (code !== undefined) bump(tally.byCode, String(code));
        else if (answer.status === 200) bump(tally.byCode, 'result');
        const ok =
          expect === 'accepted'
            ? answer.status === 202
            : expect === 'reply'
              ? answer.status === 200 && replyId(answer.body) === frame.id
              : typeof expect === 'object'
                ? answer.status >= 400 && answer.status < 500 && code === expect.code
                : false;
        if (!ok) wrong(frame, `${answer.status} ${answer.body.slice(0, 200)}`);
      } catch (err) {
        bump(tally.byStatus, 'no answer');
        wrong(frame, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally;
}

function replyId(body: string): unknown {
  try {
    return (JSON.parse(body) as { id?: unknown }).id;
  } catch {
    return undefined;
  }
}

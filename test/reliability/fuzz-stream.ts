import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { JsonRpcResponse, StdioRpcClient } from '../helpers/stdio-rpc-client.js';
import type { Frame } from './fuzz-frames.js';

/** What came back for the frames fed to one stream (stdio of `run`, or `connect` to the socket). */
export interface StreamTally {
  sent: number;
  /** Frames that warrant an answer. */
  expected: number;
  replies: number;
  /** Error replies by code, and `result` for results. */
  byCode: Record<string, number>;
  expectedByCode: Record<string, number>;
  /** Frames whose own id never got an answer (or got the wrong code), by kind. */
  unanswered: Record<string, number>;
  /** Why feeding stopped early, if it did. */
  stopped?: string;
}

export interface FeedOptions {
  /** Frames per write; the next batch goes once this one is answered. */
  batch: number;
  /** How long the ping after each batch may wait for its answer. */
  replyTimeoutMs: number;
  /** Stop sending at this time (Date.now()); `stopped` says so. */
  deadline: number;
}

/**
 * Feeds frames as lines and tallies the answers (they arrive as `unmatchedResponses`: their ids
 * are not the client's own). A ping after each batch keeps the unanswered work bounded.
 */
export async function feedFrames(
  client: StdioRpcClient,
  frames: Iterable<Frame>,
  options: FeedOptions,
): Promise<StreamTally> {
  const tally: StreamTally = {
    sent: 0,
    expected: 0,
    replies: 0,
    byCode: {},
    expectedByCode: {},
    unanswered: {},
  };
  const awaiting = new Map<number, Frame>();
  const stdin = stdinOf(client);
  const take = (response: JsonRpcResponse) => {
    tally.replies++;
    const code = response.error ? String(response.error.code) : 'result';
    tally.byCode[code] = (tally.byCode[code] ?? 0) + 1;
    const frame = typeof response.id === 'number' ? awaiting.get(response.id) : undefined;
    if (!frame) return;
    awaiting.delete(response.id as number);
    if (typeof frame.expect === 'object' && response.error?.code !== frame.expect.code) miss(frame);
  };
  const miss = (frame: Frame) => (tally.unanswered[frame.kind] = (tally.unanswered[frame.kind] ?? 0) + 1);
  const drain = () => client.unmatchedResponses.splice(0).forEach(take);

  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const chunk = Buffer.concat(batch);
    batch = [];
    batchBytes = 0;
    if (!stdin.write(chunk)) await new Promise((resolve) => stdin.once('drain', resolve));
    // A barrier: the engine answers lines in order, so the batch's own errors are in by its reply.
    const barrier = await client
      .request('ping', undefined, { timeoutMs: options.replyTimeoutMs })
      .catch((e: Error) => e);
    drain();
    if (barrier instanceof Error) tally.stopped = `a ping after the batch got no answer: ${barrier.message}`;
  };
  for (const frame of frames) {
    if (Date.now() > options.deadline) {
      tally.stopped = 'the time bound ran out';
      break;
    }
    batch.push(frame.bytes, NEWLINE);
    batchBytes += frame.bytes.length;
    tally.sent++;
    if (frame.expect !== 'none') tally.expected++;
    if (typeof frame.expect === 'object') {
      const code = String(frame.expect.code);
      tally.expectedByCode[code] = (tally.expectedByCode[code] ?? 0) + 1;
    }
    if (frame.id !== undefined) awaiting.set(frame.id, frame);
    if (batch.length >= options.batch * 2 || batchBytes > 1 << 20) await flush();
    if (tally.stopped) break;
  }
  if (!tally.stopped) await flush();
  // Answers the server itself gives may come after the barrier; wait (bounded) for the count.
  const until = Date.now() + 5000;
  while (tally.replies + client.unmatchedResponses.length < tally.expected && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  // Anything extra (an answer to a frame that warrants none) shows in `replies`.
  await new Promise((r) => setTimeout(r, 300));
  drain();
  for (const frame of awaiting.values()) miss(frame);
  return tally;
}

const NEWLINE = Buffer.from('\n');

/** The child's stdin: `sendRaw` takes text, and invalid UTF-8 has to go as the bytes it is. */
function stdinOf(client: StdioRpcClient): Writable {
  return (client as unknown as { child: ChildProcessWithoutNullStreams }).child.stdin;
}

import type { ServerResponse } from 'node:http';
import { MAX_UNREAD_STREAM_BYTES, writeToStream } from '../api/http-route.js';

/** Events one session keeps for streams a client may resume (all its streams together). */
export const REPLAY_LIMITS = { events: 500, bytes: 4 * 1024 * 1024 };
/** How long a client should wait before it reconnects a stream that ended early (the `retry` field). */
const RETRY_MS = 1000;

export type ResumeOutcome = 'resumed' | 'connected' | 'unknown';

/** One SSE stream of a session: a POST's answer stream, or the standalone GET stream. */
export interface Stream {
  readonly id: number;
  seq: number;
  /** The connection carrying it now; undefined while the client is away. */
  res: ServerResponse | undefined;
  /** A POST stream's answer went out: once the client has it all, the stream is over. */
  done: boolean;
}

interface Kept {
  stream: Stream;
  seq: number;
  text: string;
}

/**
 * The resumable SSE streams of one Streamable HTTP session (MCP 2025-11-25): every event has an id
 * naming its stream (`<stream>-<n>`), each stream opens with a priming event and a `retry` delay,
 * and what a stream carried is kept (bounded, REPLAY_LIMITS) so that a client whose connection
 * dropped can GET it again with `Last-Event-ID`: the events it missed on that stream, and only that
 * stream, then the rest as it comes. Nothing is replayed twice on one connection.
 */
export class ResumableStreams {
  private nextStream = 1;
  private readonly streams = new Map<number, Stream>();
  private kept: Kept[] = [];
  private keptBytes = 0;

  constructor(
    /** Undefined for a sessionless (2026-07-28) request's stream. */
    private readonly sessionId: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Starts a new stream on `res`. `prime`: the client speaks 2025-11-25 or later and gets the
   * priming event (an older one may choke on an event without data).
   */
  open(res: ServerResponse, prime: boolean): Stream {
    const stream: Stream = { id: this.nextStream++, seq: 0, res: undefined, done: false };
    this.streams.set(stream.id, stream);
    this.attach(stream, res, prime);
    return stream;
  }

  /** Sends a message on the stream, and keeps it for a client that comes back for it. */
  write(stream: Stream, message: unknown): void {
    const text = `id: ${stream.id}-${++stream.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
    this.keep({ stream, seq: stream.seq, text });
    if (stream.res) this.send(stream.res, text);
  }

  /** A POST stream's answer went out: the connection ends; if it was cut, the rest waits for a resume. */
  finish(stream: Stream): void {
    stream.done = true;
    const res = stream.res;
    if (!res) return;
    res.end();
    this.forget(stream);
  }

  /**
   * A GET with `Last-Event-ID`: the stream it names continues on `res` (what it missed first).
   * `unknown` when the id names no stream this session still has; `connected` when it has a connection.
   */
  resume(lastEventId: string, res: ServerResponse): ResumeOutcome {
    const match = /^(\d+)-(\d+)$/.exec(lastEventId.trim());
    const stream = match ? this.streams.get(Number(match[1])) : undefined;
    if (!stream) return 'unknown';
    if (stream.res) return 'connected';
    this.attach(stream, res, false);
    const after = Number(match![2]);
    for (const k of this.kept) if (k.stream === stream && k.seq > after) this.send(res, k.text);
    if (stream.done) this.finish(stream);
    return 'resumed';
  }

  /** The session ends: every connection is closed, nothing is kept. */
  closeAll(): void {
    for (const stream of this.streams.values()) if (stream.res && !stream.res.writableEnded) stream.res.end();
    this.streams.clear();
    this.kept = [];
    this.keptBytes = 0;
  }

  private attach(stream: Stream, res: ServerResponse, prime: boolean): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      ...(this.sessionId === undefined ? {} : { 'Mcp-Session-Id': this.sessionId }),
    });
    // The priming event gives the client an id to come back with before anything else is sent.
    if (prime) res.write(`retry: ${RETRY_MS}\nid: ${stream.id}-0\ndata: \n\n`);
    res.flushHeaders();
    stream.res = res;
    res.on('close', () => {
      if (stream.res === res) stream.res = undefined;
    });
  }

  private send(res: ServerResponse, text: string): void {
    if (!writeToStream(res, text))
      this.log(
        `session ${this.sessionId ?? '(a 2026-07-28 request)'}: closed a stream whose client stopped reading (over ${MAX_UNREAD_STREAM_BYTES} bytes unread)`,
      );
  }

  private keep(event: Kept): void {
    this.kept.push(event);
    this.keptBytes += event.text.length;
    while (this.kept.length > REPLAY_LIMITS.events || this.keptBytes > REPLAY_LIMITS.bytes) {
      const old = this.kept.shift()!;
      this.keptBytes -= old.text.length;
      // A finished stream with nothing left to replay cannot be resumed any more.
      if (old.stream.done && !this.kept.some((k) => k.stream === old.stream))
        this.streams.delete(old.stream.id);
    }
  }

  /** A finished stream the client received whole: nothing of it needs keeping. */
  private forget(stream: Stream): void {
    this.streams.delete(stream.id);
    this.kept = this.kept.filter((k) => k.stream !== stream);
    this.keptBytes = this.kept.reduce((sum, k) => sum + k.text.length, 0);
  }
}

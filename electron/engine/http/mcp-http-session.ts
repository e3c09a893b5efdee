import type { ServerResponse } from 'node:http';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import { RequestsById } from '../flow/requests-by-id.js';
import type { McpSession, SessionTransport } from '../gateway/mcp-session.js';
import { ResumableStreams, type ResumeOutcome, type Stream } from './resumable-streams.js';

/** Notifications kept for a client that has no stream open right now (then the oldest go). */
const MAX_QUEUED = 200;

/** A POST whose reply is still to come: JSON by default, an SSE stream once something else must go first. */
interface OpenPost {
  res: ServerResponse;
  /** The protocol version the POST said it speaks (its header), if it said. */
  version: string | undefined;
  /** Its SSE stream, once it answers as one (resumable from then on). */
  stream: Stream | undefined;
}

/**
 * The transport half of one Streamable HTTP session: the open POST replies and the standalone GET
 * stream. A message that belongs to a request goes on that request's stream (switching its reply
 * from JSON to SSE); anything else goes on the GET stream, or waits (bounded) for one. SSE streams
 * can be resumed after a dropped connection (resumable-streams.ts).
 */
export class McpHttpSession implements SessionTransport {
  mcp!: McpSession;
  lastSeen: number;
  /** The standalone GET stream (it outlives a dropped connection: the client may resume it). */
  private getStream: Stream | undefined;
  private readonly posts = new RequestsById<OpenPost>();
  private queued: JsonRpcMessage[] = [];
  private readonly streams: ResumableStreams;

  constructor(
    readonly id: string,
    /** The endpoint it was opened on: a server's name, or undefined for the aggregated `/mcp`. */
    readonly server: string | undefined,
    now: number,
    private readonly log: (line: string) => void,
    /** One 2026-07-28 request, not a session: no Mcp-Session-Id, nothing to resume. */
    private readonly sessionless = false,
  ) {
    this.lastSeen = now;
    this.streams = new ResumableStreams(sessionless ? undefined : id, log);
  }

  get hasGetStream(): boolean {
    return this.getStream?.res !== undefined;
  }

  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean {
    const post = relatedTo === undefined ? undefined : this.posts.get(relatedTo);
    // A request's stream carries it even while its client is away: it gets it when it resumes.
    if (post && (post.stream || !post.res.writableEnded)) {
      this.writeEvent(post, message);
      return true;
    }
    if (this.getStream?.res) {
      this.streams.write(this.getStream, message);
      return true;
    }
    // A server→client request needs an answer soon: without a stream to carry it, say no.
    if (message.id !== undefined) {
      const any = [...this.posts.values()].find((p) => !p.res.writableEnded);
      if (!any) return false;
      this.writeEvent(any, message);
      return true;
    }
    if (this.queued.length >= MAX_QUEUED) {
      this.queued.shift();
      this.log(`session ${this.id}: dropped the oldest queued notification (no GET stream open)`);
    }
    this.queued.push(message);
    return true;
  }

  /** A request's POST: its reply is written by `finishPost`; `stream` answers as SSE from the start. */
  openPost(clientId: JsonRpcId, res: ServerResponse, stream: boolean, version?: string): void {
    const opened = stream ? this.streams.open(res, this.primes(version)) : undefined;
    this.posts.set(clientId, { res, version, stream: opened });
  }

  finishPost(clientId: JsonRpcId, reply: JsonRpcMessage | undefined): void {
    const post = this.posts.take(clientId);
    if (!post) return;
    if (post.stream) {
      if (reply) this.streams.write(post.stream, reply);
      this.streams.finish(post.stream);
    } else if (post.res.writableEnded) {
      return;
    } else if (reply) {
      const body = JSON.stringify(reply);
      post.res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...(this.sessionless ? {} : { 'Mcp-Session-Id': this.id }),
      });
      post.res.end(body);
    } else {
      post.res.writeHead(202, this.sessionless ? {} : { 'Mcp-Session-Id': this.id }).end();
    }
  }

  /**
   * A GET: the standalone stream, or with `lastEventId` the stream it names, resumed. `connected`
   * when that stream has a connection already; `unknown` when the id names nothing to resume.
   */
  openGetStream(
    res: ServerResponse,
    lastEventId?: string,
    version?: string,
  ): 'open' | Exclude<ResumeOutcome, 'resumed'> {
    if (lastEventId !== undefined) {
      const outcome = this.streams.resume(lastEventId, res);
      return outcome === 'resumed' ? 'open' : outcome;
    }
    if (this.getStream?.res) return 'connected';
    this.getStream = this.streams.open(res, this.primes(version));
    for (const message of this.queued.splice(0)) this.streams.write(this.getStream, message);
    return 'open';
  }

  close(): void {
    this.mcp.close();
    this.streams.closeAll();
    this.getStream = undefined;
    for (const post of this.posts.values()) if (!post.res.writableEnded) post.res.end();
    this.posts.clear();
  }

  /**
   * Priming events (and `retry`) are for clients of 2025-11-25 and later: the version the request
   * says it speaks, else the session's (as the SDK's servers decide).
   */
  private primes(version: string | undefined): boolean {
    if (this.sessionless) return false;
    return (version ?? this.mcp.protocolVersion ?? '') >= '2025-11-25';
  }

  private writeEvent(post: OpenPost, message: JsonRpcMessage): void {
    post.stream ??= this.streams.open(post.res, this.primes(post.version));
    this.streams.write(post.stream, message);
  }
}

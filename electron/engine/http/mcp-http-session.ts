import type { ServerResponse } from 'node:http';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import { RequestsById } from '../flow/requests-by-id.js';
import type { McpSession, SessionTransport } from '../gateway/mcp-session.js';
import { MAX_UNREAD_STREAM_BYTES, writeToStream } from '../api/http-route.js';

/** Notifications kept for a client that has no stream open right now (then the oldest go). */
const MAX_QUEUED = 200;

/** A POST whose reply is still to come: JSON by default, an SSE stream once something else must go first. */
interface OpenPost {
  res: ServerResponse;
  streaming: boolean;
}

/**
 * The transport half of one Streamable HTTP session: the open POST replies and the standalone GET
 * stream. A message that belongs to a request goes on that request's stream (switching its reply
 * from JSON to SSE); anything else goes on the GET stream, or waits (bounded) for one.
 */
export class McpHttpSession implements SessionTransport {
  mcp!: McpSession;
  lastSeen: number;
  private getStream: ServerResponse | undefined;
  private readonly posts = new RequestsById<OpenPost>();
  private queued: JsonRpcMessage[] = [];
  /** SSE event ids, unique within the session (clients send the last one back when they reconnect). */
  private nextEventId = 1;

  constructor(
    readonly id: string,
    /** The endpoint it was opened on: a server's name, or undefined for the aggregated `/mcp`. */
    readonly server: string | undefined,
    now: number,
    private readonly log: (line: string) => void,
  ) {
    this.lastSeen = now;
  }

  get hasGetStream(): boolean {
    return this.getStream !== undefined;
  }

  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean {
    const post = relatedTo === undefined ? undefined : this.posts.get(relatedTo);
    if (post && !post.res.writableEnded) {
      this.writeEvent(post, message);
      return true;
    }
    if (this.getStream) {
      this.writeSse(this.getStream, message);
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
  openPost(clientId: JsonRpcId, res: ServerResponse, stream: boolean): void {
    const post = { res, streaming: stream };
    if (stream) startSse(res, this.id);
    this.posts.set(clientId, post);
  }

  finishPost(clientId: JsonRpcId, reply: JsonRpcMessage | undefined): void {
    const post = this.posts.take(clientId);
    if (!post || post.res.writableEnded) return;
    if (post.streaming) {
      if (reply) this.writeSse(post.res, reply);
      post.res.end();
    } else if (reply) {
      const body = JSON.stringify(reply);
      post.res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'Mcp-Session-Id': this.id,
      });
      post.res.end(body);
    } else {
      post.res.writeHead(202, { 'Mcp-Session-Id': this.id }).end();
    }
  }

  /** The standalone GET stream: false when one is open already. */
  openGetStream(res: ServerResponse): boolean {
    if (this.getStream) return false;
    startSse(res, this.id);
    this.getStream = res;
    res.on('close', () => {
      if (this.getStream === res) this.getStream = undefined;
    });
    for (const message of this.queued.splice(0)) this.writeSse(res, message);
    return true;
  }

  close(): void {
    this.mcp.close();
    this.getStream?.end();
    this.getStream = undefined;
    for (const post of this.posts.values()) if (!post.res.writableEnded) post.res.end();
    this.posts.clear();
  }

  private writeEvent(post: OpenPost, message: JsonRpcMessage): void {
    if (!post.streaming) {
      startSse(post.res, this.id);
      post.streaming = true;
    }
    this.writeSse(post.res, message);
  }

  private writeSse(res: ServerResponse, message: JsonRpcMessage): void {
    if (res.destroyed) return;
    const event = `id: ${this.nextEventId++}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
    if (!writeToStream(res, event))
      this.log(
        `session ${this.id}: closed a stream whose client stopped reading (over ${MAX_UNREAD_STREAM_BYTES} bytes unread)`,
      );
  }
}

function startSse(res: ServerResponse, sessionId: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'Mcp-Session-Id': sessionId,
  });
  res.flushHeaders();
}

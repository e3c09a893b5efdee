/**
 * An incremental parser for `text/event-stream` (the WHATWG "server-sent events" format), used by
 * both remote transports: Streamable HTTP's response and GET streams, and the legacy SSE stream.
 * Chunks may split anywhere (inside a UTF-8 character, between CR and LF); events are bounded in size.
 */
export interface SseEvent {
  /** The `event:` field, or "message" when the event had none. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream so far (ids carry over to later events, as in EventSource). */
  id: string | undefined;
}

export interface SseParserOptions {
  onEvent: (event: SseEvent) => void;
  /** A `retry:` field: the server's reconnection delay in ms. */
  onRetry?: (ms: number) => void;
  /** An event (or a single line) larger than this is dropped whole and reported. */
  maxEventBytes?: number;
  onOversize?: (chars: number) => void;
}

const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** Per parser: an event handler may feed another parser while this one is mid-chunk. */
  private readonly lineEnd = /[\r\n]/g;
  private readonly maxChars: number;
  /** The unfinished line carried over from the last chunk. */
  private partial = '';
  /** The last chunk ended in CR: a LF at the start of the next one belongs to it. */
  private skipLeadingLf = false;
  private atStart = true;
  private data = '';
  private hasData = false;
  private eventType = '';
  private lastId: string | undefined;
  /** Over the size limit: ignore lines until the event ends. */
  private discarding = false;

  constructor(private readonly options: SseParserOptions) {
    this.maxChars = options.maxEventBytes ?? DEFAULT_MAX_EVENT_CHARS;
  }

  /** The last event id seen (to resume the stream with `Last-Event-ID`). */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.skipLeadingLf && text.length > 0) {
      this.skipLeadingLf = false;
      if (text[0] === '\n') start = 1;
    }
    this.lineEnd.lastIndex = start;
    // One pass over the chunk: each match is one line end, so the loop is bounded by its length.
    for (let match = this.lineEnd.exec(text); match; match = this.lineEnd.exec(text)) {
      const end = match.index;
      const line = this.partial ? this.partial + text.slice(start, end) : text.slice(start, end);
      this.partial = '';
      let next = end + 1;
      if (text[end] === '\r') {
        if (next < text.length) {
          if (text[next] === '\n') next++;
        } else this.skipLeadingLf = true;
      }
      this.line(line);
      start = next;
      this.lineEnd.lastIndex = next;
    }
    this.keepPartial(text.slice(start));
  }

  /** The stream ended: an event without its closing blank line is dropped, as EventSource does. */
  end(): void {
    const tail = this.decoder.decode();
    if (tail) this.keepPartial(tail);
    this.partial = '';
    this.resetEvent();
  }

  private keepPartial(rest: string): void {
    if (rest.length === 0) return;
    if (this.discarding) return;
    if (this.partial.length + rest.length + this.data.length > this.maxChars) {
      this.overflow(this.partial.length + rest.length + this.data.length);
      this.partial = '';
      return;
    }
    this.partial += rest;
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (this.discarding || line.charCodeAt(0) === 0x3a /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        return;
      case 'data':
        if (this.data.length + value.length > this.maxChars)
          return this.overflow(this.data.length + value.length);
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        return;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.options.onRetry?.(Number(value));
        return;
      default:
        return; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.discarding) {
      this.discarding = false;
      return this.resetEvent();
    }
    if (!this.hasData) return this.resetEvent();
    const event: SseEvent = { event: this.eventType || 'message', data: this.data, id: this.lastId };
    this.resetEvent();
    this.options.onEvent(event);
  }

  private overflow(chars: number): void {
    this.discarding = true;
    this.resetEvent();
    this.options.onOversize?.(chars);
  }

  private resetEvent(): void {
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }
}

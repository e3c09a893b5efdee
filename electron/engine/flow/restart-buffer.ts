/**
 * Holds client messages while the server restarts. Bounded in count and bytes: when full, `push`
 * says no and the caller answers the sender with an error — nothing is dropped silently.
 */
export interface BufferLimits {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_BUFFER_LIMITS: BufferLimits = { maxMessages: 1000, maxBytes: 32 * 1024 * 1024 };

export interface Sized {
  readonly bytes: number;
}

export class RestartBuffer<T extends Sized> {
  private items: T[] = [];
  private totalBytes = 0;

  constructor(private readonly limits: BufferLimits) {}

  get size(): number {
    return this.items.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Adds at the end; false when the message would pass either limit. */
  push(item: T): boolean {
    if (this.items.length + 1 > this.limits.maxMessages) return false;
    if (this.totalBytes + item.bytes > this.limits.maxBytes) return false;
    this.items.push(item);
    this.totalBytes += item.bytes;
    return true;
  }

  /** True when an item waiting here matches. */
  some(match: (item: T) => boolean): boolean {
    return this.items.some(match);
  }

  /** Removes and returns the first item that matches (e.g. a request the client cancelled). */
  removeFirst(match: (item: T) => boolean): T | undefined {
    const index = this.items.findIndex(match);
    if (index === -1) return undefined;
    const [item] = this.items.splice(index, 1);
    this.totalBytes -= item!.bytes;
    return item;
  }

  /** Empties the buffer, returning everything in arrival order. */
  takeAll(): T[] {
    const items = this.items;
    this.items = [];
    this.totalBytes = 0;
    return items;
  }
}

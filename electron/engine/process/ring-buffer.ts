/**
 * A fixed-capacity FIFO that overwrites its oldest item when full. Used for the stderr tail, so a
 * chatty server costs bounded memory and O(1) per line.
 */
export class RingBuffer<T> {
  // Grows up to `capacity` on demand, then slots are overwritten in place.
  private items: T[] = [];
  /** Index of the oldest item once the buffer has wrapped. */
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`RingBuffer capacity must be a non-negative integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
  }

  /** Items oldest first, as a fresh array. */
  toArray(): T[] {
    if (this.head === 0) return this.items.slice();
    return [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

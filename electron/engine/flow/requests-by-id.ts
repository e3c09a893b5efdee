import { idKey, type JsonRpcId } from '../jsonrpc/messages.js';

/**
 * Requests keyed by their JSON-RPC id as the client sent it, where `1` and `"1"` are two different
 * requests. Used wherever a client's ids are tracked: a session's open requests (a reused id would
 * cross replies), the router's flights, `run`'s in-flight table.
 */
export class RequestsById<T> {
  private readonly byKey = new Map<string, T>();

  get size(): number {
    return this.byKey.size;
  }

  has(id: JsonRpcId): boolean {
    return this.byKey.has(idKey(id));
  }

  get(id: JsonRpcId): T | undefined {
    return this.byKey.get(idKey(id));
  }

  set(id: JsonRpcId, value: T): void {
    this.byKey.set(idKey(id), value);
  }

  delete(id: JsonRpcId): boolean {
    return this.byKey.delete(idKey(id));
  }

  /** Removes the request and returns it (undefined when there was none). */
  take(id: JsonRpcId): T | undefined {
    const key = idKey(id);
    const value = this.byKey.get(key);
    this.byKey.delete(key);
    return value;
  }

  /** Forgets every request that matches (those of a process that is gone, say). */
  deleteWhere(match: (value: T) => boolean): void {
    for (const [key, value] of this.byKey) if (match(value)) this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
  }

  values(): IterableIterator<T> {
    return this.byKey.values();
  }
}

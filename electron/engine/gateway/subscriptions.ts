/** Which sessions subscribed to which resource URIs (one upstream subscription per URI). */
export class Subscriptions<S> {
  private readonly byUri = new Map<string, Set<S>>();

  of(uri: string): ReadonlySet<S> {
    return this.byUri.get(uri) ?? new Set();
  }

  uris(): string[] {
    return [...this.byUri.keys()];
  }

  add(uri: string, session: S): void {
    let set = this.byUri.get(uri);
    if (!set) this.byUri.set(uri, (set = new Set()));
    set.add(session);
  }

  remove(uri: string, session: S): void {
    const set = this.byUri.get(uri);
    set?.delete(session);
    if (set?.size === 0) this.byUri.delete(uri);
  }

  /** True when `session` is the only subscriber left (its unsubscribe should reach the server). */
  isLast(uri: string, session: S): boolean {
    const set = this.byUri.get(uri);
    return set !== undefined && set.size === 1 && set.has(session);
  }

  /** Removes every subscription of a session; returns the URIs nobody subscribes to any more. */
  dropAll(session: S): string[] {
    const orphaned: string[] = [];
    for (const [uri, set] of this.byUri) {
      if (!set.delete(session) || set.size > 0) continue;
      this.byUri.delete(uri);
      orphaned.push(uri);
    }
    return orphaned;
  }
}

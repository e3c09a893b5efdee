import { REDACTED, redactText } from '../logging/redact.js';

/** Values shorter than this are not masked: "1234" would blank out every line that counts to it. */
const MIN_MASKED_CHARS = 6;
/** Bounded: a person with more secrets than this has other problems; the newest are kept. */
const MAX_VALUES = 1000;

/**
 * Masks the engine's known secret values (resolved at spawn/connect, or just set) in text it writes
 * down: server stderr logs and its own log. A server that prints its API key does not put it on
 * disk. Credential-looking text that is not a known value is redacted too (redactText). Engine
 * events go through `maskDeep` (known values), so a crash's "last stderr" never carries a value to
 * the API, `/events`, status, the tray or the window either.
 */
export class SecretMask {
  private readonly values = new Set<string>();
  /** Longest first, so a value that contains another is masked whole. */
  private ordered: string[] | undefined;

  remember(value: string): void {
    if (value.length < MIN_MASKED_CHARS || this.values.has(value)) return;
    this.values.add(value);
    if (this.values.size > MAX_VALUES) this.values.delete(this.values.values().next().value!);
    this.ordered = undefined;
  }

  /**
   * A copy of `value` with every known value in its strings masked; `value` itself when nothing
   * needed it. Known values only, not the look-alike heuristics of `mask`: events carry paths and
   * names (a temp folder's random suffix looks like a key) that must reach the window intact.
   */
  maskDeep<T>(value: T): T {
    if (typeof value === 'string') return this.maskKnown(value) as T;
    if (typeof value !== 'object' || value === null) return value;
    let copy: Record<string, unknown> | unknown[] | undefined;
    for (const [key, item] of Object.entries(value)) {
      const masked = this.maskDeep(item);
      if (masked === item) continue;
      copy ??= Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
      (copy as Record<string, unknown>)[key] = masked;
    }
    return (copy ?? value) as T;
  }

  /** Known values and credential-looking text masked: for what is written down (logs). */
  mask(text: string): string {
    return redactText(this.maskKnown(text));
  }

  /** Every known value masked, longest first. */
  maskKnown(text: string): string {
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const value of this.ordered) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }
}

/**
 * The parameters of a `Bearer` challenge in a WWW-Authenticate header (RFC 6750 §3, RFC 9728 §5.1):
 * `resource_metadata`, `scope`, `error`. Other schemes in the same header are skipped.
 */
export interface BearerChallenge {
  resourceMetadata?: string;
  scope?: string;
  error?: string;
  errorDescription?: string;
}

/** token68 or auth-param list, as in RFC 9110 §11.2; quoted strings may hold commas and `\"`. */
const PARAM = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/y;
const SCHEME = /\s*,?\s*([A-Za-z0-9_.!#$%&'*+^`|~-]+)(?:\s+|$|(?=,))/y;

/** The Bearer challenge of a header, or undefined when the header has none. */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  let at = 0;
  let bearer: Record<string, string> | undefined;
  let current: Record<string, string> | undefined;
  // Bounded by the header's length: every step consumes at least one character or stops.
  while (at < header.length) {
    PARAM.lastIndex = at;
    const param = PARAM.exec(header);
    if (param && current && param[0].length > 0) {
      current[param[1]!.toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
      at = PARAM.lastIndex;
      continue;
    }
    SCHEME.lastIndex = at;
    const scheme = SCHEME.exec(header);
    if (!scheme || scheme[0].length === 0) break;
    at = SCHEME.lastIndex;
    current = {};
    if (scheme[1]!.toLowerCase() === 'bearer' && !bearer) bearer = current;
  }
  if (!bearer) return undefined;
  return {
    ...(bearer.resource_metadata ? { resourceMetadata: bearer.resource_metadata } : {}),
    ...(bearer.scope ? { scope: bearer.scope } : {}),
    ...(bearer.error ? { error: bearer.error } : {}),
    ...(bearer.error_description ? { errorDescription: bearer.error_description } : {}),
  };
}

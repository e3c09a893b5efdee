/** Separator between a server's name and a tool or prompt name on the aggregated endpoint. */
export const NAMESPACE_SEPARATOR = '__';

export function namespaced(server: string, name: string): string {
  return `${server}${NAMESPACE_SEPARATOR}${name}`;
}

/**
 * Splits `server__name` back, choosing the longest server name that matches so that servers whose
 * names contain the separator still route right.
 */
export function splitNamespaced(
  qualified: string,
  servers: readonly string[],
): { server: string; name: string } | undefined {
  let best: string | undefined;
  for (const server of servers) {
    const prefix = server + NAMESPACE_SEPARATOR;
    if (
      qualified.startsWith(prefix) &&
      qualified.length > prefix.length &&
      (!best || server.length > best.length)
    )
      best = server;
  }
  return best === undefined
    ? undefined
    : { server: best, name: qualified.slice(best.length + NAMESPACE_SEPARATOR.length) };
}

/**
 * True when `uri` is an instance of an RFC 6570 URI template (the simple forms MCP servers use:
 * `{var}` matches one path segment, `{+var}`/`{#var}` anything, `{?a,b}` a query).
 */
export function matchesUriTemplate(template: string, uri: string): boolean {
  let pattern = '';
  let last = 0;
  for (const match of template.matchAll(/\{([+#?&/.;]?)[^}]*\}/g)) {
    pattern += escapeRegExp(template.slice(last, match.index));
    const operator = match[1];
    pattern +=
      operator === '+' || operator === '#'
        ? '.*'
        : operator === '?' || operator === '&'
          ? '(?:[?&].*)?'
          : '[^/?#]*';
    last = match.index + match[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  return new RegExp(`^${pattern}$`).test(uri);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Where the window may go. The page is served from app://switchboard (see app-protocol.ts); it may
// move between its own hash routes, web links open in the user's browser, and nothing else loads.

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True only for URLs of the app's own origin. Compared field by field after parsing (never by
 * prefix), so `app://switchboard.evil`, `app://x@switchboard` and `app://switchboard:1` are not ours.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${APP_SCHEME}:` &&
    // Chromium lowercases a standard scheme's host; Node's URL keeps it as written.
    parsed.host.toLowerCase() === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The normalized URL when it is safe to hand to the user's browser (http/https only), else undefined. */
export function externalUrl(url: string): string | undefined {
  const parsed = parse(url);
  if (parsed === undefined) return undefined;
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
}

export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return 'allow';
  if (externalUrl(url) !== undefined) return 'open-external';
  return 'deny';
}

/** IPC is answered only for the app's own top-level page, never for a subframe or a foreign page. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

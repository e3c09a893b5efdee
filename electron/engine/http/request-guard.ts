/**
 * DNS-rebinding defence for every HTTP endpoint (DESIGN §7, PROTOCOL-NOTES): a page on some other
 * site must not be able to drive the engine through the person's browser. The Host header must
 * name this engine, and an Origin, when a browser sends one, must be the engine's own.
 */
export interface GuardOptions {
  /** The port the engine listens on. */
  port: number;
  /** Extra `host[:port]` values to accept (e.g. a container's service name). */
  allowedHosts?: readonly string[];
  /** Extra origins to accept, e.g. `https://dashboard.example.com`. */
  allowedOrigins?: readonly string[];
}

export type GuardResult = { ok: true } | { ok: false; status: 403; reason: string };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function checkRequest(
  headers: { host?: string; origin?: string },
  options: GuardOptions,
): GuardResult {
  const hosts = new Set([
    ...LOOPBACK_NAMES.map((name) => `${name}:${options.port}`),
    ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
  ]);
  const host = headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) {
    return {
      ok: false,
      status: 403,
      reason: `Host "${headers.host ?? ''}" is not this engine; use http://127.0.0.1:${options.port} (or add it to the allowed hosts)`,
    };
  }
  const origin = headers.origin;
  if (origin === undefined) return { ok: true };
  const origins = new Set([
    ...LOOPBACK_NAMES.map((name) => `http://${name}:${options.port}`),
    ...(options.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')),
  ]);
  if (!origins.has(origin.toLowerCase())) {
    return { ok: false, status: 403, reason: `Origin "${origin}" may not use this engine` };
  }
  return { ok: true };
}

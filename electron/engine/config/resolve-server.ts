import path from 'node:path';
import type { RemoteServerConfig, ServerConfig, StdioServerConfig } from '../../shared/config.js';
import { REFERENCE } from '../secrets/secret-references.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { expandHome } from './config-paths.js';

/** A server's config with every `${env:…}` and `${secret:…}` filled in, ready to spawn or connect. */
export type ResolvedServer = (StdioServerConfig & { cwd: string | undefined }) | RemoteServerConfig;

export type ResolveResult =
  | { ok: true; server: ResolvedServer; secrets: string[] }
  | {
      ok: false;
      error: string;
      missing: string[];
      /** Every missing reference is a secret (the server waits for it, rather than failing). */
      onlySecrets: boolean;
    };

export interface ResolveContext {
  env: Readonly<Record<string, string | undefined>>;
  secrets: SecretStore;
  homedir: string;
  /** Relative `cwd` values resolve against the config file's folder. */
  configDir: string;
  /** Told every secret value filled in, so logs can mask it. */
  onSecretValue?: (value: string) => void;
}

/**
 * Fills in references at spawn/connect time, so secrets never sit in the file or in memory longer
 * than needed. A missing one makes this server's error, not the whole config's. A declared optional
 * credential that is not set leaves out the env var or header that uses it.
 */
export async function resolveServer(
  name: string,
  server: ServerConfig,
  ctx: ResolveContext,
): Promise<ResolveResult> {
  const missing: string[] = [];
  const hints: string[] = [];
  const used = new Set<string>();
  const optional = (ref: string) => server.credentials?.[ref]?.required === false;
  /** The text filled in; undefined when an optional secret it uses is not set (leave the entry out). */
  const fill = async (value: string): Promise<string | undefined> => {
    let out = '';
    let last = 0;
    let leaveOut = false;
    for (const match of value.matchAll(REFERENCE)) {
      const [whole, kind, ref] = match as unknown as [string, 'env' | 'secret', string];
      let found: string | undefined;
      if (kind === 'env') found = ctx.env[ref];
      else {
        try {
          found = await ctx.secrets.get(ref);
        } catch (err) {
          missing.push(`secret:${ref}`);
          hints.push(`secret "${ref}" cannot be read: ${(err as Error).message}`);
          continue;
        }
        if (found !== undefined) {
          used.add(ref);
          ctx.onSecretValue?.(found);
        }
      }
      if (found === undefined && kind === 'secret' && optional(ref)) leaveOut = true;
      else if (found === undefined) {
        missing.push(`${kind}:${ref}`);
        hints.push(
          kind === 'env'
            ? `environment variable ${ref} is not set; set it where Switchboard starts, or change the reference`
            : `secret "${ref}" is not set: ${ctx.secrets.howToSet(ref)}`,
        );
      }
      out += value.slice(last, match.index) + (found ?? '');
      last = match.index + whole.length;
    }
    return leaveOut ? undefined : out + value.slice(last);
  };
  const fillText = async (value: string) => (await fill(value)) ?? '';
  // One at a time, so problems are reported in the order they appear in the file.
  const fillRecord = async (record: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      const filled = await fill(value);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  };
  const fillList = async (values: readonly string[]) => {
    const out: string[] = [];
    for (const value of values) out.push(await fillText(value));
    return out;
  };

  let filled: ResolvedServer;
  if (server.type === 'stdio') {
    const cwd = server.cwd
      ? path.resolve(ctx.configDir, expandHome(await fillText(server.cwd), ctx.homedir))
      : undefined;
    filled = {
      ...server,
      command: await fillText(server.command),
      args: await fillList(server.args),
      env: await fillRecord(server.env),
      cwd,
    };
  } else {
    const oauth =
      typeof server.oauth === 'object'
        ? {
            ...server.oauth,
            ...(server.oauth.clientId ? { clientId: await fillText(server.oauth.clientId) } : {}),
            ...(server.oauth.clientSecret ? { clientSecret: await fillText(server.oauth.clientSecret) } : {}),
          }
        : server.oauth;
    filled = {
      ...server,
      url: await fillText(server.url),
      headers: await fillRecord(server.headers),
      ...(oauth === undefined ? {} : { oauth }),
    };
  }
  // A required credential declared but used nowhere still has to be set: the person said so.
  for (const [ref, field] of Object.entries(server.credentials ?? {})) {
    if (field.required === false || used.has(ref) || missing.includes(`secret:${ref}`)) continue;
    const value = await ctx.secrets.get(ref).catch(() => undefined);
    if (value === undefined) {
      missing.push(`secret:${ref}`);
      hints.push(`secret "${ref}" is not set: ${ctx.secrets.howToSet(ref)}`);
    }
  }
  if (missing.length > 0) {
    return {
      ok: false,
      missing,
      onlySecrets: missing.every((m) => m.startsWith('secret:')),
      error: `${name}: ${[...new Set(hints)].join('; ')}`,
    };
  }
  return { ok: true, server: filled, secrets: [...used] };
}

import path from 'node:path';
import type { RemoteServerConfig, ServerConfig, StdioServerConfig } from '../../shared/config.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { expandHome } from './config-paths.js';

/** A server's config with every `${env:…}` and `${secret:…}` filled in, ready to spawn or connect. */
export type ResolvedServer = (StdioServerConfig & { cwd: string | undefined }) | RemoteServerConfig;

export type ResolveResult =
  { ok: true; server: ResolvedServer } | { ok: false; error: string; missing: string[] };

const REFERENCE = /\$\{(env|secret):([^}]+)\}/g;

export interface ResolveContext {
  env: Readonly<Record<string, string | undefined>>;
  secrets: SecretStore;
  homedir: string;
  /** Relative `cwd` values resolve against the config file's folder. */
  configDir: string;
}

/**
 * Fills in references at spawn/connect time, so secrets never sit in the file or in memory longer
 * than needed. A missing one makes this server's error, not the whole config's.
 */
export async function resolveServer(
  name: string,
  server: ServerConfig,
  ctx: ResolveContext,
): Promise<ResolveResult> {
  const missing: string[] = [];
  const hints: string[] = [];
  const fill = async (value: string): Promise<string> => {
    let out = '';
    let last = 0;
    for (const match of value.matchAll(REFERENCE)) {
      const [whole, kind, ref] = match as unknown as [string, 'env' | 'secret', string];
      const found = kind === 'env' ? ctx.env[ref] : await ctx.secrets.get(ref);
      if (found === undefined) {
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
    return out + value.slice(last);
  };
  // One at a time, so problems are reported in the order they appear in the file.
  const fillRecord = async (record: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) out[key] = await fill(value);
    return out;
  };
  const fillList = async (values: readonly string[]) => {
    const out: string[] = [];
    for (const value of values) out.push(await fill(value));
    return out;
  };

  let filled: ResolvedServer;
  if (server.type === 'stdio') {
    const cwd = server.cwd
      ? path.resolve(ctx.configDir, expandHome(await fill(server.cwd), ctx.homedir))
      : undefined;
    filled = {
      ...server,
      command: await fill(server.command),
      args: await fillList(server.args),
      env: await fillRecord(server.env),
      cwd,
    };
  } else {
    filled = { ...server, url: await fill(server.url), headers: await fillRecord(server.headers) };
  }
  if (missing.length > 0) {
    return { ok: false, missing, error: `${name}: ${[...new Set(hints)].join('; ')}` };
  }
  return { ok: true, server: filled };
}

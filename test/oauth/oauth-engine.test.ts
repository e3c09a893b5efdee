// OAuth through a whole engine: a remote server that wants a sign-in waits in needs-auth, Sign in
// (the API the window and tray use) opens the "browser", the server becomes ready and its tools
// answer through the gateway; Sign out deletes the tokens. Then the tokens are hunted for in API
// answers, events, the engine log and every file of the home.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { engineOptions } from '../helpers/echo-home.js';
import type { ApiInput, ApiName, ApiOutput } from '../../electron/shared/api.js';
import type { EngineEvent } from '../../electron/shared/events.js';
import { REPO } from '../gateway/gateway-harness.js';
import { startAuthServer, type AuthServer } from '../fixtures/oauth/auth-server.js';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../fixtures/oauth/protected-mcp-server.js';
import { followAuthorization } from '../helpers/headless-browser.js';

let engine: Engine | undefined;
let home: string | undefined;
let auth: AuthServer | undefined;
let mcp: ProtectedMcpServer | undefined;

afterEach(async () => {
  await engine?.stop();
  await mcp?.close();
  await auth?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  engine = home = auth = mcp = undefined;
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => readFileSync(file, 'utf8'));
}

describe('OAuth through a whole engine', () => {
  it('needs-auth → Sign in → ready → tools work → Sign out → needs-auth, and no token leaks', async () => {
    auth = await startAuthServer({ accessTokenTtlSeconds: 3600 });
    mcp = await startProtectedMcpServer({ authServer: auth });
    mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
    home = mkdtempSync(path.join(REPO, '.tmp-test', 'oauth-'));
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({ mcpServers: { web: { type: 'http', url: mcp.url } } }, null, 2),
    );
    const store = new MemorySecretStore();
    const events: EngineEvent[] = [];
    const logs: string[] = [];
    const opened: string[] = [];
    let browserMayGo: () => void = () => undefined;
    const browserGoes = new Promise<void>((resolve) => (browserMayGo = resolve));
    engine = new Engine({
      ...engineOptions(home),
      secrets: store,
      log: (line) => logs.push(line),
      onEvent: (event) => events.push(event),
      // The person's browser: it comes back once the test has looked at the waiting state.
      openUrl: (url) => {
        opened.push(url);
        void browserGoes.then(() => followAuthorization(url));
      },
    });
    await engine.start();
    const answers: unknown[] = [];
    const api = async <N extends ApiName>(name: N, input: ApiInput<N>) => {
      const answer = (await engine!.dispatcher.invoke(name, input)) as ApiOutput<N>;
      answers.push(answer);
      return answer;
    };
    const web = () => engine!.supervisor.snapshot().servers.find((s) => s.name === 'web');

    await until(() => web()?.state === 'needs-auth', 'needs-auth');
    expect(web()!.reason).toMatch(/web wants you to sign in at 127\.0\.0\.1:\d+: use Sign in/);
    expect(web()!.restarts).toBe(0);
    // A call meanwhile fails at once, saying to sign in (not a timeout, not "check the server log").
    await expectAuthRequired(engine);
    expect(await api('getServerAuth', { server: 'web' })).toMatchObject({
      server: 'web',
      oauth: true,
      signedIn: false,
      issuer: auth.issuer,
    });

    const waiting = await api('signIn', { server: 'web' });
    expect(waiting.signInUrl).toBe(opened[0]);
    expect(waiting.signInUrl).toMatch(/code_challenge_method=S256/);
    browserMayGo();
    await until(() => web()?.state === 'ready', 'ready after sign-in');
    const status = await api('getServerAuth', { server: 'web' });
    expect(status).toMatchObject({ signedIn: true, issuer: auth.issuer, scopes: ['mcp:read'] });
    expect(status.expiresAt).toBeGreaterThan(Date.now());
    expect(status.signInUrl).toBeUndefined();
    expect(
      events.some((e) => e.type === 'auth.changed' && e.server === 'web' && e.detail === 'signed in'),
    ).toBe(true);
    const call = await engine.supervisor
      .upstreamOf('web')!
      .request('tools/call', { name: 'whoami', arguments: {} });
    expect(JSON.stringify(call.result)).toContain('mcp:read');

    const out = await api('signOut', { server: 'web' });
    expect(out).toMatchObject({ signedIn: false });
    await until(() => web()?.state === 'needs-auth', 'needs-auth after sign-out');
    expect((await store.list()).filter((s) => s.name.startsWith('oauth:token:'))).toEqual([]);
    expect(web()!.lastError).toBeUndefined(); // a sign-out is no error
    await expectAuthRequired(engine);

    // The hunt: every token the authorization server issued, everywhere the engine writes or answers.
    const tokens = auth.issuedTokenValues();
    expect(tokens.length).toBeGreaterThan(0);
    await engine.stop();
    const haystack = [
      JSON.stringify(answers),
      JSON.stringify(events),
      logs.join('\n'),
      ...filesUnder(home),
    ].join('\n');
    for (const token of tokens) expect(haystack).not.toContain(token);
    engine = undefined;
  });
});

/** A tools/call to `web` is refused at once with auth_required and the sign-in suggestion. */
async function expectAuthRequired(engine: Engine): Promise<void> {
  const startedAt = Date.now();
  const failed = await engine.supervisor
    .upstreamOf('web')!
    .request('tools/call', { name: 'whoami', arguments: {} })
    .then(
      () => undefined,
      (err: unknown) => err as { error?: { code: number; data?: { reason?: string; suggestion?: string } } },
    );
  expect(failed?.error).toMatchObject({ code: -32075, data: { reason: 'auth_required' } });
  expect(failed?.error?.data?.suggestion).toMatch(/Sign in/);
  expect(Date.now() - startedAt).toBeLessThan(2000);
}

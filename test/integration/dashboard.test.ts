import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ECHO_SERVER, REPO, SWITCHBOARD } from './run-harness.js';
import { startServe, type ServedEngine } from './serve-harness.js';

// The window in a browser: `serve` hands out the built renderer and signs the page in without the
// token ever being in a URL. Needs the renderer built (`npm test` builds first).

let served: ServedEngine;
beforeEach(async () => {
  served = await startServe({ echo: { command: process.execPath, args: [ECHO_SERVER] } });
});
afterEach(() => served.stop());

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SWITCHBOARD, ...args], {
      env: { ...process.env, SWITCHBOARD_HOME: served.home, SWITCHBOARD_CONFIG: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const signIn = (body: unknown) =>
  fetch(`${served.url}/auth/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the window served by `switchboard serve`', () => {
  it('serves the built page with a strict CSP, its assets, and nothing outside them', async () => {
    const page = await fetch(`${served.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self'/);
    const html = await page.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    expect(readdirSync(path.join(REPO, 'dist/renderer/assets'))).toContain(path.basename(script!));
    const asset = await fetch(`${served.url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const evil of ['/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/package.json', '/nothing.js']) {
      expect((await fetch(`${served.url}${evil}`)).status, evil).toBe(404);
    }
    // A foreign page cannot even load it (DNS rebinding).
    expect((await fetch(`${served.url}/`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('ships a window of at most 400 KB gzipped', () => {
    const dir = path.join(REPO, 'dist/renderer/assets');
    const gzipped = readdirSync(dir).reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length,
      0,
    );
    console.log(`renderer bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeGreaterThan(10 * 1024); // it is really there
    expect(gzipped).toBeLessThanOrEqual(400 * 1024);
  });

  it('paints its first screen from at most 150 KB gzipped (what index.html loads before any other screen)', () => {
    const dir = path.join(REPO, 'dist/renderer');
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    const firstScreen = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1]!,
    );
    expect(firstScreen.some((file) => file.endsWith('.js'))).toBe(true);
    const gzipped = firstScreen.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(dir, file)), { level: 9 }).length,
      0,
    );
    console.log(`first screen: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${firstScreen.length} files`);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  });

  it('signs a browser in once through `switchboard open --print`, by cookie, never by URL token', async () => {
    const opened = await cli(['open', '--print']);
    expect(opened.code, opened.err).toBe(0);
    const link = new URL(opened.out.trim());
    expect(link.origin).toBe(served.url);
    expect(link.hash).toMatch(/^#code=[\w-]+$/);
    expect(opened.out).not.toContain(served.token);

    expect((await fetch(`${served.url}/api/v1/servers`)).status).toBe(401);
    const code = link.hash.slice('#code='.length);
    const answer = await signIn({ code });
    expect(answer.status).toBe(204);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    const withCookie = { headers: { Cookie: cookie.split(';')[0]! } };
    const servers = await fetch(`${served.url}/api/v1/servers`, withCookie);
    expect(servers.status).toBe(200);
    expect(((await servers.json()) as { servers: { name: string }[] }).servers[0]!.name).toBe('echo');

    const again = await signIn({ code });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toMatch(/switchboard open/);
    expect((await signIn({ token: served.token })).status).toBe(204);
    expect((await signIn({ token: 'wrong' })).status).toBe(401);
    // The code is minted with the token only.
    expect((await fetch(`${served.url}/api/v1/dashboard/code`, { method: 'POST' })).status).toBe(401);
    expect(served.stdout() + served.stderr()).not.toContain(code);
  });
});

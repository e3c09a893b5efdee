import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appProtocolResponse } from './app-protocol.js';

let dir: string;
let root: string;
const page = '<!doctype html><title>Switchboard</title><script src="./assets/x.js"></script>';
const script = 'console.log("switchboard")';

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sb-'));
  root = path.join(dir, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), page);
  writeFileSync(path.join(root, 'assets', 'x.js'), script);
  // Next to the root, where a traversal would land.
  writeFileSync(path.join(dir, 'secret'), 'do not serve');
  writeFileSync(path.join(dir, 'renderer-secret'), 'do not serve either');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('appProtocolResponse', () => {
  it('serves the page with its CSP, for the entry URL and for the bare origin', async () => {
    for (const url of ['app://switchboard/index.html', 'app://switchboard/', 'app://switchboard']) {
      const res = await appProtocolResponse(url, root);
      expect(res.status, url).toBe(200);
      expect(await res.text()).toBe(page);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves assets with long caching and no query or hash in the way', async () => {
    const res = await appProtocolResponse('app://switchboard/assets/x.js?v=1#top', root);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(script);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(script)));
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('answers 404 for anything outside the root', async () => {
    for (const url of [
      'app://switchboard/../secret',
      'app://switchboard/%2e%2e/secret',
      'app://switchboard/assets/%2E%2E/%2e%2e/secret',
      'app://switchboard/..%2fsecret',
      'app://switchboard/assets/..%2f..%2fsecret',
      'app://switchboard/%2e%2e%2f%2e%2e%2frenderer-secret',
      'app://switchboard/..%5csecret',
      'app://switchboard/index.html%00.js',
      'app://switchboard/%E0%A4%A',
    ]) {
      const res = await appProtocolResponse(url, root);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toMatch(/do not serve/);
    }
  });

  it('answers 404 for other hosts and schemes', async () => {
    for (const url of [
      'app://evil/index.html',
      'app://switchboard.evil/index.html',
      'app://x@switchboard/index.html',
      'file:///index.html',
      'https://switchboard/index.html',
    ]) {
      expect((await appProtocolResponse(url, root)).status, url).toBe(404);
    }
  });

  it('answers 404 for missing files and directories', async () => {
    expect((await appProtocolResponse('app://switchboard/nothing.js', root)).status).toBe(404);
    expect((await appProtocolResponse('app://switchboard/assets', root)).status).toBe(404);
    expect((await appProtocolResponse('app://switchboard/assets/', root)).status).toBe(404);
    const missing = await appProtocolResponse('app://switchboard/', path.join(dir, 'not-built'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});

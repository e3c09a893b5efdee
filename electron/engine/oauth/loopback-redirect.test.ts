import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLoopbackRedirect } from './loopback-redirect.js';

describe('the loopback redirect', () => {
  it('hands over the first answer with a code, and ignores other requests', async () => {
    const redirect = await startLoopbackRedirect({ timeoutMs: 5000, signal: new AbortController().signal });
    expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const base = new URL(redirect.redirectUri);
    expect((await fetch(new URL('/favicon.ico', base))).status).toBe(404);
    const page = await fetch(`${redirect.redirectUri}?code=abc&state=s1`);
    expect(await page.text()).toContain('You can close this tab');
    expect(Object.fromEntries(await redirect.result)).toEqual({ code: 'abc', state: 's1' });
    redirect.close();
  });

  it('gives up after its timeout, saying so', async () => {
    const redirect = await startLoopbackRedirect({ timeoutMs: 50, signal: new AbortController().signal });
    await expect(redirect.result).rejects.toThrow(/did not come back within/);
  });

  it('takes another port when the preferred one is busy, unless it must be that one', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    const signal = new AbortController().signal;
    const redirect = await startLoopbackRedirect({ preferredPort: busy, timeoutMs: 5000, signal });
    expect(new URL(redirect.redirectUri).port).not.toBe(String(busy));
    redirect.close();
    await expect(
      startLoopbackRedirect({ preferredPort: busy, strictPort: true, timeoutMs: 5000, signal }),
    ).rejects.toThrow(/cannot listen on 127.0.0.1:\d+ for the sign-in redirect/);
    blocker.close();
  });
});

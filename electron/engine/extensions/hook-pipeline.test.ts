import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import type { Extension, HookName } from './extension.js';
import { ExtensionSlot } from './extension-slot.js';
import { fakeCall, fakeContext } from './testing/fake-context.js';
import { HOOK_TIMEOUT_MS, HookPipeline } from './hook-pipeline.js';

async function enabledSlot(ext: Extension): Promise<ExtensionSlot> {
  const slot = new ExtensionSlot(
    { id: ext.id, name: ext.name, version: ext.version, defaultEnabled: true },
    'builtin',
    async () => ext,
  );
  await slot.activate({}, () => fakeContext({ id: ext.id }));
  return slot;
}

function pipeline(clock = new FakeClock()) {
  const failures: { id: string; hook: HookName; message: string }[] = [];
  const p = new HookPipeline({
    clock,
    failed: (slot, hook, error) => failures.push({ id: slot.id, hook, message: (error as Error).message }),
  });
  return { p, failures, clock };
}

const ext = (id: string, hooks: Partial<Extension>): Extension => ({
  id,
  name: id,
  version: '1',
  defaultEnabled: true,
  ...hooks,
});

describe('HookPipeline', () => {
  it('is inactive with no enabled extension', async () => {
    const { p } = pipeline();
    p.use([]);
    expect(p.active).toBe(false);
    const slot = await enabledSlot(ext('a', {}));
    p.use([slot]);
    expect(p.active).toBe(true);
    await slot.deactivate();
    p.use([slot]);
    expect(p.active).toBe(false);
  });

  it('gives up on an async hook that hangs, counts it, and the request goes on', async () => {
    const { p, failures, clock } = pipeline();
    p.use([await enabledSlot(ext('hangs', { onRequest: () => new Promise(() => {}) }))]);
    const { call, request } = fakeCall({ method: 'tools/call', params: { name: 'echo' } });
    const replied = p.request(call, request, async (r) => ({
      jsonrpc: '2.0',
      id: r.id,
      result: { ok: true },
    }));
    await Promise.resolve();
    clock.advance(HOOK_TIMEOUT_MS);
    await expect(replied).resolves.toMatchObject({ id: 1, result: { ok: true } });
    expect(failures).toEqual([
      { id: 'hangs', hook: 'onRequest', message: 'hangs.onRequest did not finish within 10 s' },
    ]);
  });

  it('tells extensions about a cancelled request instead of a reply', async () => {
    const { p } = pipeline();
    const seen: string[] = [];
    p.use([
      await enabledSlot(
        ext('watch', {
          onCancelled: (c) => void seen.push(`cancelled ${c.method}`),
          onResponse: (r) => (seen.push('reply'), r),
        }),
      ),
    ]);
    const { call, request } = fakeCall({ method: 'tools/call', params: { name: 'slow' } });
    await expect(p.request(call, request, async () => undefined)).resolves.toBeUndefined();
    expect(seen).toEqual(['cancelled tools/call']);
  });

  it('drops a server notification an extension returns null for, and passes changed ones on', async () => {
    const { p } = pipeline();
    p.use([
      await enabledSlot(
        ext('quiet', {
          onNotification: (m) =>
            m.method === 'notifications/message'
              ? null
              : { ...m, params: { ...(m.params as object), seen: true } },
        }),
      ),
    ]);
    expect(
      p.notification({ jsonrpc: '2.0', method: 'notifications/message', params: {} }, 'echo'),
    ).toBeNull();
    expect(
      p.notification({ jsonrpc: '2.0', method: 'notifications/progress', params: { p: 1 } }, 'echo'),
    ).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { p: 1, seen: true },
    });
  });

  it('keeps a reply id equal to the client request id whatever a hook returns', async () => {
    const { p } = pipeline();
    p.use([await enabledSlot(ext('rewrites', { onResponse: (r) => ({ ...r, id: 999 }) }))]);
    const { call, request } = fakeCall({ method: 'ping', id: 7 });
    const reply = await p.request(call, request, async (r) => ({ jsonrpc: '2.0', id: r.id, result: {} }));
    expect(reply?.id).toBe(7);
  });
});

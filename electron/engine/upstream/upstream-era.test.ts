import { describe, expect, it } from 'vitest';
import type { PendingRequest } from '../flow/pending-requests.js';
import { AuthRequiredError } from '../actor/start-errors.js';
import { UpstreamError } from './upstream-error.js';
import { UpstreamEra } from './upstream-era.js';

const ENGINE = { capabilities: { sampling: {} }, clientInfo: { name: 'switchboard', version: '1' } };

function era() {
  const logs: string[] = [];
  const listens: unknown[] = [];
  const e = new UpstreamEra({
    server: 's',
    caller: () => ENGINE,
    listen: {
      transmit: async (body) => void listens.push(JSON.parse(body).params.notifications),
      answersInline: () => false,
      cancel: () => undefined,
      signal: () => new AbortController().signal,
      isOpen: () => true,
      log: (line) => logs.push(line),
    },
    log: (line) => logs.push(line),
  });
  return { e, listens, logs };
}

const pending = (method: string, params?: unknown, caller?: unknown): PendingRequest =>
  ({
    id: 7,
    method,
    params,
    caller,
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
  }) as PendingRequest;

const DISCOVERED = {
  jsonrpc: '2.0' as const,
  id: 1,
  result: {
    supportedVersions: ['2026-07-28'],
    capabilities: { tools: { listChanged: true } },
    instructions: 'hello',
    resultType: 'complete',
    _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'srv', version: '2' } },
  },
};

describe('UpstreamEra', () => {
  it('reads a server that offers 2026-07-28 from its discover answer', async () => {
    const { e } = era();
    expect(await e.verdict(Promise.resolve(DISCOVERED), () => false)).toEqual({
      modern: {
        protocolVersion: '2026-07-28',
        capabilities: { tools: { listChanged: true } },
        serverInfo: { name: 'srv', version: '2' },
        instructions: 'hello',
      },
    });
  });

  it('takes an error, or an answer without a revision it speaks, for the old era', async () => {
    const { e } = era();
    const notFound = { jsonrpc: '2.0' as const, id: 1, error: { code: -32601, message: 'Method not found' } };
    expect(await e.verdict(Promise.resolve(notFound), () => false)).toEqual({ legacy: 'Method not found' });
    const other = { ...DISCOVERED, result: { ...DISCOVERED.result, supportedVersions: ['2027-01-01'] } };
    expect('legacy' in (await e.verdict(Promise.resolve(other), () => false))).toBe(true);
    expect(e.probes).toBe(true);
  });

  it('stops asking a server that did not answer in time, and passes a sign-in on', async () => {
    const { e, logs } = era();
    const timeout = new UpstreamError('REQUEST_TIMEOUT', 's', 'server/discover: no reply within 10 ms');
    expect('legacy' in (await e.verdict(Promise.reject(timeout), () => false))).toBe(true);
    expect(e.probes).toBe(false);
    expect(logs.join('\n')).toMatch(/spoken to in 2025-11-25 from now on/);
    await expect(
      era().e.verdict(Promise.reject(new AuthRequiredError('sign in', undefined)), () => false),
    ).rejects.toBeInstanceOf(AuthRequiredError);
  });

  it('sends old-era requests as they are, new-era ones with the asking client in the envelope', async () => {
    const { e } = era();
    const call = pending(
      'tools/call',
      { name: 'x', _meta: { progressToken: 't' } },
      {
        capabilities: { elicitation: { form: {} }, tasks: {} },
        clientInfo: { name: 'cursor', version: '3' },
        logLevel: 'info',
      },
    );
    expect(e.encode(call)).toEqual({ body: call.body, routing: { method: 'tools/call', name: 'x' } });
    e.version = '2026-07-28';
    const wire = e.encode(call);
    if ('answer' in wire) throw new Error('sent, not answered');
    expect(JSON.parse(wire.body).params).toEqual({
      name: 'x',
      _meta: {
        progressToken: 't',
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        'io.modelcontextprotocol/clientInfo': { name: 'cursor', version: '3' },
        'io.modelcontextprotocol/logLevel': 'info',
      },
    });
  });

  it('answers what 2026-07-28 has no more: a ping is a discover, levels and subscriptions stay here', () => {
    const { e, listens } = era();
    e.version = '2026-07-28';
    e.openListen({ resources: { subscribe: true, listChanged: true } });
    const ping = e.encode(pending('ping'));
    expect('body' in ping && JSON.parse(ping.body).method).toBe('server/discover');
    expect(e.encode(pending('logging/setLevel', { level: 'debug' }))).toEqual({ answer: { result: {} } });
    const list = e.encode(pending('tools/list'));
    expect('body' in list && JSON.parse(list.body).params._meta['io.modelcontextprotocol/logLevel']).toBe(
      'debug',
    );
    e.encode(pending('resources/subscribe', { uri: 'file:///a' }));
    e.encode(pending('resources/subscribe', { uri: 'file:///a' }));
    e.encode(pending('resources/unsubscribe', { uri: 'file:///a' }));
    // The listen is opened again each time the subscribed resources change, naming them.
    expect(listens).toEqual([
      { resourcesListChanged: true },
      { resourcesListChanged: true, resourceSubscriptions: ['file:///a'] },
      { resourcesListChanged: true },
    ]);
    expect(e.notification('notifications/roots/list_changed', undefined)).toBeUndefined();
    expect(e.notification('notifications/cancelled', { requestId: 3 })?.params).toMatchObject({
      requestId: 3,
    });
  });
});

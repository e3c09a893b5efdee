import { describe, expect, it } from 'vitest';
import {
  api,
  dir,
  emitted,
  restarted,
  secretStore,
  useApiRoutes,
} from '../../../test/helpers/api-routes-harness.js';

useApiRoutes();

describe('the secrets routes', () => {
  it('sets, lists by name and hint only, restarts the users, and removes', async () => {
    const value = 'sk-test-0123456789abcdef';
    const set = await api('PUT', '/api/v1/secrets/echo-key', { value });
    expect(set).toMatchObject({
      status: 200,
      body: { name: 'echo-key', set: true, hint: '…cdef', usedBy: ['echo'] },
    });
    expect(await secretStore.get('echo-key')).toBe(value);
    expect(restarted).toEqual(['echo']);
    expect(emitted).toEqual([{ type: 'secrets.changed', names: ['echo-key'], at: 1 }]);
    const listed = await api('GET', '/api/v1/secrets');
    expect(JSON.stringify(listed.body)).not.toContain('0123456789');
    expect(listed.body).toEqual({
      store: { kind: 'memory', available: true },
      secrets: [
        { name: 'echo-key', set: true, hint: '…cdef', usedBy: ['echo'] },
        // Short values get no hint: 4 of 5 characters would give it away.
        { name: 'other-token', set: true, usedBy: [] },
      ],
    });
    const credentials = await api('GET', '/api/v1/servers/echo/credentials');
    expect(credentials.body).toEqual({
      server: 'echo',
      credentials: [{ name: 'echo-key', label: 'echo-key', required: true, set: true, hint: '…cdef' }],
    });
    expect(await api('DELETE', '/api/v1/secrets/echo-key')).toMatchObject({
      status: 200,
      body: { name: 'echo-key', removed: true },
    });
    expect(await api('DELETE', '/api/v1/secrets/echo-key')).toMatchObject({ body: { removed: false } });
    expect(await secretStore.get('echo-key')).toBeUndefined();
  });

  it('refuses bad names and empty values with a message that says what to do', async () => {
    const badName = await api('PUT', '/api/v1/secrets/has%20space', { value: 'x' });
    expect(badName.status).toBe(400);
    expect(String(badName.body.error)).toMatch(/secret names use letters/);
    const empty = await api('PUT', '/api/v1/secrets/fine', { value: '' });
    expect(empty.status).toBe(400);
    expect(String(empty.body.error)).toMatch(/empty/);
    expect((await api('GET', '/api/v1/servers/nope/credentials')).status).toBe(404);
  });

  it('keeps OAuth records out of the secrets list', async () => {
    await secretStore.set('oauth:token:web@https://as.example', '{"accessToken":"tok-123456789"}');
    const listed = await api('GET', '/api/v1/secrets');
    expect(JSON.stringify(listed.body)).not.toContain('oauth:');
  });

  it('answers sign-in routes: unknown server 404, a local server 400 with what to do', async () => {
    expect((await api('POST', '/api/v1/servers/nope/sign-in')).status).toBe(404);
    const local = await api('POST', '/api/v1/servers/echo/sign-in');
    expect(local.status).toBe(400);
    expect(String(local.body.error)).toMatch(/local server; OAuth sign-in is for remote/);
    expect((await api('GET', '/api/v1/servers/echo/auth')).status).toBe(400);
  });
});

describe('the clients routes', () => {
  it('lists every client, previews, and answers what cannot be done with the status and what to do', async () => {
    const listed = await api('GET', '/api/v1/clients');
    expect(listed.status).toBe(200);
    const { clients } = listed.body as { clients: { id: string; exists: boolean; file: string }[] };
    expect(clients.map((c) => c.id)).toContain('claude-desktop');
    expect(clients.every((c) => !c.exists && c.file.startsWith(dir))).toBe(true);

    const preview = await api('POST', '/api/v1/clients/cursor/install-preview', { mode: 'aggregate' });
    expect(preview.status).toBe(200);
    expect((preview.body as { createsFile: boolean; diff: string }).createsFile).toBe(true);
    expect((preview.body as { diff: string }).diff).toContain('+    "switchboard": {');

    const unknown = await api('POST', '/api/v1/clients/notepad/import-preview', {});
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('claude-desktop');

    const undo = await api('POST', '/api/v1/clients/cursor/uninstall', {});
    expect(undo.status).toBe(404);
    expect((undo.body as { error: string }).error).toMatch(/nothing to undo/);
  });
});

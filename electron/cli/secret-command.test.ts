import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore, NoSecretStore, type SecretStore } from '../engine/index.js';
import { main } from './main.js';
import { readPiped, readSecretValue, readTyped, withoutOneNewline } from './read-secret-value.js';
import { parseSecretArgs, secretCommand, storeBackend } from './secret-command.js';

/** A terminal as `readSecretValue` sees one: a stream with isTTY and a raw-mode switch that is recorded. */
function fakeTty() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(raw: boolean): void };
  const rawModes: boolean[] = [];
  stream.isTTY = true;
  stream.setRawMode = (raw: boolean) => void rawModes.push(raw);
  return { stream, rawModes };
}

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

describe('switchboard secret arguments', () => {
  it('reads set, list and rm', () => {
    expect(parseSecretArgs(['set', 'GITHUB_TOKEN'])).toEqual({ action: 'set', name: 'GITHUB_TOKEN' });
    expect(parseSecretArgs(['rm', 'api.key-2'])).toEqual({ action: 'rm', name: 'api.key-2' });
    expect(parseSecretArgs(['list'])).toEqual({ action: 'list', json: false });
    expect(parseSecretArgs(['list', '--json'])).toEqual({ action: 'list', json: true });
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['set', '--help'], ['list', '-h']])
      expect(parseSecretArgs(argv)).toEqual({ action: 'help' });
  });

  it('says what is wrong', () => {
    expect(() => parseSecretArgs(['set'])).toThrow(/usage: switchboard secret set NAME/);
    expect(() => parseSecretArgs(['rm'])).toThrow(/usage: switchboard secret rm NAME/);
    expect(() => parseSecretArgs(['set', 'bad name'])).toThrow(
      /"bad name" is not a secret name: secret names use/,
    );
    expect(() => parseSecretArgs(['set', '_x'])).toThrow(/starting with a letter or digit/);
    expect(() => parseSecretArgs(['set', 'TOKEN', 'ghp_value'])).toThrow(/never given as an argument/);
    expect(() => parseSecretArgs(['rm', 'A', 'B'])).toThrow(/takes one NAME, got also: B/);
    expect(() => parseSecretArgs(['set', '--force'])).toThrow(/unknown option --force/);
    expect(() => parseSecretArgs(['list', '--all'])).toThrow(
      /unknown option --all for `switchboard secret list`/,
    );
    expect(() => parseSecretArgs(['get', 'X'])).toThrow(/unknown secret command "get": use set, list or rm/);
  });

  it('exits 2 with a pointer to `switchboard secret --help`, and prints that help', async () => {
    const out = sink();
    const err = sink();
    const io = { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream, cwd: process.cwd() };
    expect(await main(['secret', 'set', 'no/slash'], io)).toBe(2);
    expect(err.text()).toMatch(/not a secret name[\s\S]*See `switchboard secret --help`/);
    expect(await main(['secret', '--help'], io)).toBe(0);
    expect(out.text()).toMatch(/Usage: switchboard secret set NAME[\s\S]*list \[--json\][\s\S]*rm NAME/);
    expect(await main(['--help'], io)).toBe(0);
    expect(out.text()).toMatch(/secret set\|rm NAME, list/);
  });
});

describe('reading a value from a pipe', () => {
  it('drops one trailing newline only', async () => {
    expect(withoutOneNewline('x')).toBe('x');
    expect(withoutOneNewline('x\n')).toBe('x');
    expect(withoutOneNewline('x\r\n')).toBe('x');
    expect(withoutOneNewline('x\n\n')).toBe('x\n');
    expect(withoutOneNewline(' x \n')).toBe(' x ');
  });

  it('reads all of stdin, in chunks, multi-byte characters split across them', async () => {
    const stdin = new PassThrough();
    const value = readPiped(stdin);
    const bytes = Buffer.from('päss wörd\n');
    stdin.write(bytes.subarray(0, 2)); // splits "ä"
    stdin.end(bytes.subarray(2));
    expect(await value).toBe('päss wörd');
  });

  it('is what readSecretValue does when stdin is not a terminal, without a prompt', async () => {
    const stdin = new PassThrough();
    const err = sink();
    stdin.end('printf-style');
    expect(await readSecretValue('Value for X: ', stdin, err.stream)).toBe('printf-style');
    expect(err.text()).toBe('');
  });
});

describe('reading a value typed at a terminal', () => {
  it('prompts on stderr, echoes nothing, handles Backspace and ends at Enter', async () => {
    const { stream, rawModes } = fakeTty();
    const err = sink();
    const value = readSecretValue('Value for TOKEN: ', stream, err.stream);
    stream.write('sekr');
    stream.write('x\u007f'); // typo, then Backspace
    stream.write('et\b\bET'); // ^H also erases
    stream.write('\u001b[D'); // an arrow key: not part of the value
    stream.write('!\rignored after Enter');
    expect(await value).toBe('sekrET!');
    expect(err.text()).toBe('Value for TOKEN: \n');
    expect(rawModes).toEqual([true, false]);
    expect(stream.isPaused()).toBe(true);
  });

  it('clears the line with Ctrl-U and removes whole characters', async () => {
    const { stream } = fakeTty();
    const value = readTyped('? ', stream, sink().stream);
    stream.write('wrong\u0015rïght😀\u007f\n');
    expect(await value).toBe('rïght');
  });

  it('cancels on Ctrl-C and leaves raw mode', async () => {
    const { stream, rawModes } = fakeTty();
    const value = readSecretValue('? ', stream, sink().stream);
    stream.write('half-typed\u0003more');
    expect(await value).toBeUndefined();
    expect(rawModes).toEqual([true, false]);
  });
});

describe('switchboard secret without an engine', () => {
  let dir: string;
  let configFile: string;
  let store: MemorySecretStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sb-secret-cli-'));
    configFile = path.join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        mcpServers: {
          github: { command: 'gh-mcp', env: { GITHUB_TOKEN: '${secret:GITHUB_TOKEN}' } },
          notes: {
            url: 'https://notes.example/mcp',
            headers: { Authorization: 'Bearer ${secret:NOTES_KEY}' },
          },
          both: { command: 'x', args: ['--token', '${secret:GITHUB_TOKEN}'] },
        },
      }),
    );
    store = new MemorySecretStore({ OLD: 'an-old-value-1234' });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], stdin: PassThrough = new PassThrough(), secrets: SecretStore = store) {
    const out = sink();
    const err = sink();
    const io = { stdin, stdout: out.stream, stderr: err.stream, cwd: dir };
    const code = await secretCommand(argv, io, async () => storeBackend(secrets, configFile));
    return { code, out: out.text(), err: err.text() };
  }

  function piped(text: string): PassThrough {
    const stdin = new PassThrough();
    stdin.end(text);
    return stdin;
  }

  it('stores a piped value, says who uses it, and never prints the value', async () => {
    const value = 'ghp_abcdefghijklmnop1234567890wxyz';
    const result = await run(['set', 'GITHUB_TOKEN'], piped(`${value}\n`));
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(
      'secret GITHUB_TOKEN set (…wxyz) (no engine is running); servers using it: github, both\n',
    );
    expect(await store.get('GITHUB_TOKEN')).toBe(value);

    const listed = await run(['list']);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      'SECRET        SET  HINT   USED BY',
      'GITHUB_TOKEN  yes  …wxyz  github, both',
      'NOTES_KEY     no   -      notes',
      'OLD           yes  …1234  -',
      '',
    ]);
    const json = JSON.parse((await run(['list', '--json'])).out) as { secrets: unknown[] };
    expect(json).toEqual({
      store: { kind: 'memory', available: true },
      secrets: [
        { name: 'GITHUB_TOKEN', set: true, hint: '…wxyz', usedBy: ['github', 'both'] },
        { name: 'NOTES_KEY', set: false, usedBy: ['notes'] },
        { name: 'OLD', set: true, hint: '…1234', usedBy: [] },
      ],
    });
    for (const text of [result.out, result.err, listed.out, listed.err, JSON.stringify(json)])
      expect(text).not.toContain(value);
  });

  it('stores a typed value without echoing it', async () => {
    const { stream } = fakeTty();
    const pending = run(['set', 'NOTES_KEY'], stream);
    // Typed ahead of the prompt is fine: the stream keeps it, as a terminal does.
    stream.write('short\r');
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.err).toBe('Value for NOTES_KEY: \n');
    // Under 12 characters: no hint at all.
    expect(result.out).toBe('secret NOTES_KEY set (no engine is running); servers using it: notes\n');
    expect(await store.get('NOTES_KEY')).toBe('short');
  });

  it('stores nothing on Ctrl-C (exit 130) or for an empty value (exit 1)', async () => {
    const { stream } = fakeTty();
    const pending = run(['set', 'NOTES_KEY'], stream);
    // Typed ahead of the prompt is fine: the stream keeps it, as a terminal does.
    stream.write('typed-so-far\u0003');
    const cancelled = await pending;
    expect(cancelled.code).toBe(130);
    expect(cancelled.err).toMatch(/cancelled; secret NOTES_KEY was not changed/);
    expect(cancelled.err + cancelled.out).not.toContain('typed-so-far');

    const empty = await run(['set', 'NOTES_KEY'], piped('\n'));
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/value for NOTES_KEY is empty, so nothing was stored.*printf/);
    expect(await store.get('NOTES_KEY')).toBeUndefined();
  });

  it('removes a secret and says whether there was one', async () => {
    expect(await run(['rm', 'OLD'])).toEqual({
      code: 0,
      out: 'secret OLD removed (no engine is running)\n',
      err: '',
    });
    expect(await store.get('OLD')).toBeUndefined();
    expect((await run(['rm', 'OLD'])).out).toBe('no secret OLD was set; nothing removed\n');
  });

  it('names a secret no server uses yet, and shows usedBy as unknown when the config is broken', async () => {
    expect((await run(['set', 'SPARE'], piped('v'))).out).toMatch(
      /no server uses it yet \(write \$\{secret:SPARE\}/,
    );
    writeFileSync(configFile, '{ "mcpServers": ');
    const listed = await run(['list']);
    expect(listed.out).toMatch(/^OLD +yes +…1234 +\?$/m);
    expect(listed.out).toMatch(
      /config file cannot be read, so which servers use each secret is unknown:\n {2}.*not valid JSON/,
    );
    expect(JSON.parse((await run(['list', '--json'])).out)).toHaveProperty('configProblems');
    expect((await run(['set', 'SPARE'], piped('w'))).out).toMatch(
      /which servers use it is unknown: the config file cannot be read/,
    );
  });

  it('passes on what the store says to do when it cannot keep secrets, before asking for a value', async () => {
    const none = new NoSecretStore('no keyring here; unlock it');
    const stdin = piped('never-read');
    const result = await run(['set', 'GITHUB_TOKEN'], stdin, none);
    expect(result).toEqual({ code: 1, out: '', err: 'switchboard: no keyring here; unlock it\n' });
    expect(stdin.readableLength).toBeGreaterThan(0); // the value was not even read
    const listed = await run(['list'], new PassThrough(), none);
    expect(listed.code).toBe(1);
    expect(listed.out).toMatch(/^GITHUB_TOKEN +\? +- +github, both$/m);
    expect(listed.err).toBe('switchboard: no keyring here; unlock it\n');
  });
});

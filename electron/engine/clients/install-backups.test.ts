import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientError } from './client-error.js';
import { InstallBackups } from './install-backups.js';

let dir: string;
let file: string;
let clock: number;
let backups: InstallBackups;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sb-install-backups-'));
  file = path.join(dir, 'client', 'mcp.json');
  clock = 1_000;
  backups = new InstallBackups(path.join(dir, 'client-backups'), () => clock++);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ORIGINAL = Buffer.from('{ "mcpServers": { "a": { "command": "a" } } } // mine\n');

/** The client's file as the person had it, before any install. */
function writeOriginal(mode = 0o644): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, ORIGINAL);
  chmodSync(file, mode);
  return readFileSync(file);
}

const modeOf = (f: string) => statSync(f).mode & 0o777;

async function expectKind(promise: Promise<unknown>, kind: ClientError['kind']): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ClientError);
  expect((error as ClientError).kind).toBe(kind);
}

describe('InstallBackups', () => {
  it('writes the new text and keeps the original, private', async () => {
    const original = writeOriginal();
    await backups.install('cursor', file, original, 'first', 'per-server');
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readFileSync(backups.originalPath(file))).toEqual(ORIGINAL);
    expect(modeOf(backups.originalPath(file))).toBe(0o600);
    expect(await backups.status(file)).toEqual({ mode: 'per-server', at: 1_000, changedSince: false });
  });

  it('keeps the FIRST original when installing twice, and undo goes back to it', async () => {
    await backups.install('cursor', file, writeOriginal(), 'first', 'per-server');
    await backups.install('cursor', file, readFileSync(file), 'second', 'aggregate');
    expect(readFileSync(backups.originalPath(file))).toEqual(ORIGINAL);
    expect(await backups.status(file)).toMatchObject({ mode: 'aggregate', changedSince: false });
    expect(await backups.undo(file, false)).toEqual({ outcome: 'restored' });
    expect(readFileSync(file)).toEqual(ORIGINAL);
  });

  it('restores the bytes and the file mode (0600 stays 0600)', async () => {
    await backups.install('cursor', file, writeOriginal(0o600), 'next', 'per-server');
    expect(modeOf(file)).toBe(0o600);
    await backups.undo(file, false);
    expect(readFileSync(file)).toEqual(ORIGINAL);
    expect(modeOf(file)).toBe(0o600);
    expect(existsSync(backups.originalPath(file))).toBe(false);
    expect(await backups.status(file)).toBeUndefined();
  });

  it('deletes a file the install created', async () => {
    await backups.install('codex', file, undefined, 'created', 'aggregate');
    expect(readFileSync(file, 'utf8')).toBe('created');
    expect(existsSync(backups.originalPath(file))).toBe(false);
    expect(await backups.undo(file, false)).toEqual({ outcome: 'deleted' });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to undo over changes made since, unless forced; forced, it keeps the changed file', async () => {
    await backups.install('cursor', file, writeOriginal(), 'installed', 'per-server');
    writeFileSync(file, 'edited by hand');
    expect(await backups.status(file)).toMatchObject({ changedSince: true });
    await expectKind(backups.undo(file, false), 'changed');
    expect(readFileSync(file, 'utf8')).toBe('edited by hand');

    const result = await backups.undo(file, true);
    expect(result.outcome).toBe('restored');
    expect(result.keptAs).toBe(`${file}.switchboard-1970-01-01T00-00-01.001Z.bak`); // clock: 1001 ms
    expect(readFileSync(result.keptAs!, 'utf8')).toBe('edited by hand');
    expect(readFileSync(file)).toEqual(ORIGINAL);
  });

  it('restores when the installed file was deleted since (forced), with nothing to keep', async () => {
    await backups.install('cursor', file, writeOriginal(), 'installed', 'per-server');
    rmSync(file);
    expect(await backups.status(file)).toMatchObject({ changedSince: true });
    await expectKind(backups.undo(file, false), 'changed');
    expect(await backups.undo(file, true)).toEqual({ outcome: 'restored' });
    expect(readFileSync(file)).toEqual(ORIGINAL);
  });

  it('has nothing to undo before an install or after an undo', async () => {
    await expectKind(backups.undo(file, false), 'nothing-to-undo');
    await backups.install('cursor', file, undefined, 'x', 'per-server');
    await backups.undo(file, false);
    await expectKind(backups.undo(file, true), 'nothing-to-undo');
    expect(await backups.status(file)).toBeUndefined();
  });

  it('keeps two files of the same name apart', async () => {
    const other = path.join(dir, 'other', 'mcp.json');
    await backups.install('cursor-project', file, undefined, 'one', 'per-server');
    await backups.install('cursor-project', other, undefined, 'two', 'per-server');
    expect(await backups.undo(other, false)).toEqual({ outcome: 'deleted' });
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(await backups.status(file)).toMatchObject({ changedSince: false });
  });
});

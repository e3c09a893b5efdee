import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executableChecker, resolveCommand, SpawnError, type ResolveOptions } from './resolve-command.js';

/** A fake file system: `files` run; `plain` exist without the executable bit. */
function posix(env: ResolveOptions['env'], files: string[], plain: string[] = []): ResolveOptions {
  return {
    platform: 'linux',
    env,
    cwd: '/home/me/project',
    isFile: (p) => files.includes(p),
    exists: (p) => files.includes(p) || plain.includes(p),
  };
}

/** Windows file names are case-insensitive. */
function win(env: ResolveOptions['env'], files: string[]): ResolveOptions {
  const lower = files.map((f) => f.toLowerCase());
  return { platform: 'win32', env, cwd: 'C:\\work', isFile: (p) => lower.includes(p.toLowerCase()) };
}

function spawnError(fn: () => unknown): SpawnError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SpawnError);
    return err as SpawnError;
  }
  throw new Error('expected a SpawnError');
}

describe('resolveCommand on POSIX', () => {
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin' };

  it('takes the first PATH entry that has the command', () => {
    const opts = posix(env, ['/usr/bin/node', '/bin/node']);
    expect(resolveCommand('node', ['-v'], opts)).toEqual({ file: '/usr/bin/node', args: ['-v'] });
  });

  it('skips a match without the executable bit and keeps searching', () => {
    const opts = posix(env, ['/bin/tool'], ['/usr/local/bin/tool']);
    expect(resolveCommand('tool', [], opts).file).toBe('/bin/tool');
  });

  it('reports EACCES when the only match is not executable', () => {
    const err = spawnError(() => resolveCommand('tool', [], posix(env, [], ['/usr/bin/tool'])));
    expect(err.code).toBe('EACCES');
    expect(err.message).toContain('chmod +x /usr/bin/tool');
  });

  it('resolves a relative path against cwd, not PATH', () => {
    const opts = posix(env, ['/home/me/project/script.sh', '/home/me/bin/x', '/usr/bin/script.sh']);
    expect(resolveCommand('./script.sh', ['a'], opts)).toEqual({
      file: '/home/me/project/script.sh',
      args: ['a'],
    });
    expect(resolveCommand('../bin/x', [], opts).file).toBe('/home/me/bin/x');
    expect(resolveCommand('/usr/bin/script.sh', [], opts).file).toBe('/usr/bin/script.sh');
  });

  it('says where it looked when a command is missing', () => {
    const err = spawnError(() => resolveCommand('foo', [], posix(env, [])));
    expect(err.name).toBe('SpawnError');
    expect(err.code).toBe('ENOENT');
    expect(err.message).toBe(
      'command not found: foo (searched PATH: /usr/local/bin:/usr/bin:/bin). Install it or give an absolute path.',
    );
  });

  it('names the resolved path for a missing relative command', () => {
    const err = spawnError(() => resolveCommand('./nope', [], posix(env, [])));
    expect(err.code).toBe('ENOENT');
    expect(err.message).toContain('/home/me/project/nope');
  });

  it('copes with PATH unset, and PATH is case-sensitive on POSIX', () => {
    expect(spawnError(() => resolveCommand('node', [], posix({}, []))).message).toContain('PATH is empty');
    const opts = posix({ Path: '/usr/bin' }, ['/usr/bin/node']);
    expect(spawnError(() => resolveCommand('node', [], opts)).code).toBe('ENOENT');
  });

  it('ignores empty PATH entries rather than searching the current directory', () => {
    const opts = posix({ PATH: ':/bin:' }, ['/home/me/project/node', 'node', '/bin/node']);
    expect(resolveCommand('node', [], opts).file).toBe('/bin/node');
  });

  it('never looks for a shim or extension, and passes args verbatim', () => {
    const opts = posix(env, ['/usr/bin/npx', '/usr/bin/npx.cmd']);
    expect(resolveCommand('npx', ['a b', '"q"', '&'], opts)).toEqual({
      file: '/usr/bin/npx',
      args: ['a b', '"q"', '&'],
    });
  });

  it('rejects an empty command', () => {
    expect(spawnError(() => resolveCommand('  ', [], posix(env, []))).code).toBe('EINVAL');
  });
});

describe('resolveCommand on Windows', () => {
  const nodejs = 'C:\\Program Files\\nodejs';
  const env = { Path: `C:\\Windows\\system32;${nodejs}`, ComSpec: 'C:\\Windows\\system32\\cmd.exe' };

  it('runs npx.cmd through cmd.exe with escaped arguments', () => {
    const opts = win(env, [`${nodejs}\\npx.cmd`, `${nodejs}\\node.exe`]);
    const resolved = resolveCommand('npx', ['-y', '@scope/server', 'hello world', 'a&b', 'say "hi"'], opts);
    expect(resolved).toEqual({
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: [
        '/d',
        '/s',
        '/c',
        `""${nodejs}\\npx.CMD" ^"-y^" ^"@scope/server^" ^"hello^ world^" ^"a^&b^" ^"say^ \\^"hi\\^"^""`,
      ],
      viaShim: true,
    });
  });

  it('runs a .exe directly', () => {
    const opts = win(env, [`${nodejs}\\node.exe`]);
    expect(resolveCommand('node', ['a b'], opts)).toEqual({ file: `${nodejs}\\node.EXE`, args: ['a b'] });
  });

  it('tries PATHEXT in order within a directory, and directories in PATH order', () => {
    const files = [`${nodejs}\\tool.cmd`, `${nodejs}\\tool.exe`, 'C:\\late\\tool.com'];
    expect(resolveCommand('tool', [], win(env, files)).file).toBe(`${nodejs}\\tool.EXE`);
    const cmdFirst = { ...env, PATHEXT: '.CMD;.EXE' };
    expect(resolveCommand('tool', [], win(cmdFirst, files)).viaShim).toBe(true);
    const lateDir = { ...env, Path: `C:\\late;${nodejs}` };
    expect(resolveCommand('tool', [], win(lateDir, files)).file).toBe('C:\\late\\tool.COM');
  });

  it('reads Path, PATH and PATHEXT case-insensitively, preferring the spelling Node keeps', () => {
    const files = ['C:\\a\\x.exe', 'C:\\b\\x.exe', 'C:\\b\\y.bat'];
    expect(resolveCommand('x', [], win({ path: 'C:\\a' }, files)).file).toBe('C:\\a\\x.EXE');
    // Node dedupes env keys by keeping the lexicographically first: "PATH" sorts before "Path".
    expect(resolveCommand('x', [], win({ Path: 'C:\\a', PATH: 'C:\\b' }, files)).file).toBe('C:\\b\\x.EXE');
    const pathext = { PATH: 'C:\\b', pathext: '.BAT' };
    expect(resolveCommand('y', [], win(pathext, files)).args[3]).toContain('y.BAT');
  });

  it('tries a name that already has an extension as given first', () => {
    const opts = win(env, [`${nodejs}\\node.exe`, `${nodejs}\\node.exe.cmd`]);
    expect(resolveCommand('node.exe', [], opts)).toEqual({ file: `${nodejs}\\node.exe`, args: [] });
  });

  it('resolves a relative path against cwd and adds PATHEXT, with either slash', () => {
    const opts = win(env, ['C:\\work\\node_modules\\.bin\\tsx.cmd']);
    const resolved = resolveCommand('node_modules/.bin/tsx', ['a&b'], opts);
    // npm shims re-parse their arguments, so metacharacters are escaped twice.
    expect(resolved.args[3]).toBe('""C:\\work\\node_modules\\.bin\\tsx.CMD" ^^^"a^^^&b^^^""');
    expect(resolveCommand('.\\node_modules\\.bin\\tsx', [], opts).viaShim).toBe(true);
  });

  it('falls back to cmd.exe without ComSpec, and reads COMSPEC in any case', () => {
    const files = ['C:\\bin\\run.bat'];
    expect(resolveCommand('run', [], win({ PATH: 'C:\\bin' }, files)).file).toBe('cmd.exe');
    const upper = { PATH: 'C:\\bin', COMSPEC: 'D:\\cmd.exe' };
    expect(resolveCommand('run', [], win(upper, files)).file).toBe('D:\\cmd.exe');
  });

  it('accepts quoted PATH entries', () => {
    const opts = win({ PATH: `"${nodejs}";C:\\x` }, [`${nodejs}\\node.exe`]);
    expect(resolveCommand('node', [], opts).file).toBe(`${nodejs}\\node.EXE`);
  });

  it('refuses arguments with line breaks for a shim, which cmd.exe would cut', () => {
    const opts = win(env, [`${nodejs}\\npx.cmd`]);
    expect(spawnError(() => resolveCommand('npx', ['a\nb'], opts)).code).toBe('EINVAL');
  });

  it('says where it looked when a command is missing', () => {
    const err = spawnError(() => resolveCommand('foo', [], win(env, [])));
    expect(err.code).toBe('ENOENT');
    expect(err.message).toBe(
      `command not found: foo (searched PATH: C:\\Windows\\system32;${nodejs}). Install it or give an absolute path.`,
    );
  });
});

describe('executableChecker (real file system)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-exec-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.skipIf(process.platform === 'win32')('needs the executable bit on POSIX', () => {
    const file = path.join(dir, 'tool');
    fs.writeFileSync(file, '#!/bin/sh\n');
    fs.chmodSync(file, 0o644);
    expect(executableChecker('linux')(file)).toBe(false);
    expect(executableChecker('win32')(file)).toBe(true);
    fs.chmodSync(file, 0o755);
    expect(executableChecker('linux')(file)).toBe(true);
  });

  it('rejects directories and missing files', () => {
    expect(executableChecker(process.platform)(dir)).toBe(false);
    expect(executableChecker(process.platform)(path.join(dir, 'missing'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IGNORES,
  findScriptDirectory,
  normaliseExtensions,
  planWatch,
  type WatchPlanInput,
} from './watch-targets.js';

const plan = (input: Partial<WatchPlanInput> & { watch: string[] }) =>
  planWatch({ ignore: [...DEFAULT_IGNORES], cwd: '/proj', ...input });

describe('DEFAULT_IGNORES', () => {
  const { isIgnored } = plan({ watch: ['.'] });

  it.each([
    '/proj/node_modules',
    '/proj/node_modules/x.js',
    '/proj/a/node_modules',
    '/proj/a/node_modules/b.js',
    '/proj/.git',
    '/proj/.git/HEAD',
    '/proj/server.log',
    '/proj/logs/deep/out.log',
    '/proj/x.tmp',
    '/proj/.server.ts.swp',
    '/proj/src/y~',
    '/proj/.DS_Store',
    '/proj/src/.DS_Store',
  ])('ignores %s', (p) => expect(isIgnored(p)).toBe(true));

  it.each(['/proj/src', '/proj/src/index.ts', '/proj/.env', '/proj/node_modules_backup/a.js', '/proj/git/x'])(
    'keeps %s',
    (p) => expect(isIgnored(p)).toBe(false),
  );
});

describe('planWatch', () => {
  it('resolves relative files and directories against cwd and dedupes roots', () => {
    const p = plan({ watch: ['src', './server.js', '/abs/lib/', 'src'] });
    expect(p.roots).toEqual(['/proj/src', '/proj/server.js', '/abs/lib']);
    expect(p.isRelevant('/proj/src/a/b.json')).toBe(true);
    expect(p.isRelevant('/proj/server.js')).toBe(true);
    expect(p.isRelevant('/proj/other.js')).toBe(false);
    expect(p.isRelevant('/proj/srcx/a.js')).toBe(false);
    expect(p.isRelevant('/abs/lib/x.py')).toBe(true);
  });

  it('splits a glob into a static root and a matcher', () => {
    const p = plan({ watch: ['src/**/*.ts', './lib/{a,b}/*.js', '*.json'] });
    expect(p.roots).toEqual(['/proj/src', '/proj/lib', '/proj']);
    expect(p.isRelevant('/proj/src/index.ts')).toBe(true);
    expect(p.isRelevant('/proj/src/deep/er/x.ts')).toBe(true);
    expect(p.isRelevant('/proj/src/index.js')).toBe(false);
    expect(p.isRelevant('/proj/lib/a/x.js')).toBe(true);
    expect(p.isRelevant('/proj/lib/c/x.js')).toBe(false);
    expect(p.isRelevant('/proj/package.json')).toBe(true);
    expect(p.isRelevant('/proj/sub/package.json')).toBe(false);
  });

  it('filters by extension, normalising leading dots and comma lists', () => {
    const p = plan({ watch: ['.', 'config.yaml'], extensions: ['js,ts', '.JSON'] });
    expect(p.isRelevant('/proj/a.js')).toBe(true);
    expect(p.isRelevant('/proj/src/b.ts')).toBe(true);
    expect(p.isRelevant('/proj/c.json')).toBe(true);
    expect(p.isRelevant('/proj/README.md')).toBe(false);
    expect(p.isRelevant('/proj/Makefile')).toBe(false);
    // A file named explicitly is watched whatever its extension.
    expect(p.isRelevant('/proj/config.yaml')).toBe(true);
    // Globs and extensions combine.
    const g = plan({ watch: ['src/**'], extensions: ['ts'] });
    expect(g.isRelevant('/proj/src/a.ts')).toBe(true);
    expect(g.isRelevant('/proj/src/a.js')).toBe(false);
  });

  it('ignored paths are never relevant', () => {
    const p = plan({ watch: ['.'], ignore: [...DEFAULT_IGNORES, 'dist', 'src/generated/'] });
    expect(p.isRelevant('/proj/node_modules/x/index.js')).toBe(false);
    expect(p.isIgnored('/proj/dist')).toBe(true);
    expect(p.isIgnored('/proj/pkg/dist/a.js')).toBe(true);
    expect(p.isIgnored('/proj/src/generated')).toBe(true);
    expect(p.isIgnored('/proj/src/generated/a.ts')).toBe(true);
    expect(p.isIgnored('/proj/src/a.ts')).toBe(false);
  });

  it('matches ignores relative to each root as well as cwd', () => {
    const p = plan({ watch: ['src', '../shared'], ignore: ['fixtures/**', 'src/gen/**'] });
    expect(p.isIgnored('/proj/src/fixtures/a.ts')).toBe(true);
    expect(p.isIgnored('/shared/fixtures/a.ts')).toBe(true);
    expect(p.isIgnored('/proj/src/gen/a.ts')).toBe(true);
    expect(p.isIgnored('/shared/lib/a.ts')).toBe(false);
  });

  it('supports absolute ignore patterns', () => {
    const p = plan({ watch: ['.'], ignore: ['/proj/tmp/**'] });
    expect(p.isIgnored('/proj/tmp')).toBe(true);
    expect(p.isIgnored('/proj/tmp/a.js')).toBe(true);
    expect(p.isIgnored('/proj/src/tmp/a.js')).toBe(false);
  });

  it('never ignores the roots or the directories leading to them', () => {
    const p = planWatch({ watch: ['node_modules/my-lib'], ignore: [...DEFAULT_IGNORES], cwd: '/proj' });
    expect(p.isIgnored('/proj/node_modules/my-lib')).toBe(false);
    expect(p.isIgnored('/proj/node_modules')).toBe(false);
    expect(p.isIgnored('/proj')).toBe(false);
    expect(p.isRelevant('/proj/node_modules/my-lib/index.js')).toBe(true);
    // …but ignores still apply below the root.
    expect(p.isIgnored('/proj/node_modules/my-lib/node_modules/dep.js')).toBe(true);
    expect(p.isIgnored('/proj/node_modules/my-lib/debug.log')).toBe(true);
  });

  it('prunes everything outside the roots, except the way down to them', () => {
    const p = plan({ watch: ['src/lib', 'missing/deep/dir'] });
    expect(p.isIgnored('/proj/other/x.js')).toBe(true);
    expect(p.isIgnored('/proj/src/other')).toBe(true);
    expect(p.isIgnored('/elsewhere')).toBe(true);
    expect(p.isIgnored('/proj/missing')).toBe(false);
    expect(p.isIgnored('/proj/missing/deep')).toBe(false);
    expect(p.isIgnored('/proj/missing/deep/dir/a.js')).toBe(false);
    expect(p.isIgnored('/proj/missing/other')).toBe(true);
  });

  it('still watches a project that itself lives under node_modules', () => {
    const p = planWatch({ watch: ['.'], ignore: [...DEFAULT_IGNORES], cwd: '/x/node_modules/pkg' });
    expect(p.isIgnored('/x/node_modules/pkg/server.js')).toBe(false);
    expect(p.isRelevant('/x/node_modules/pkg/server.js')).toBe(true);
    expect(p.isIgnored('/x/node_modules/pkg/node_modules/dep/index.js')).toBe(true);
  });

  it('keeps an explicitly watched ignored dir watchable when an outer root covers it', () => {
    const p = plan({ watch: ['.', 'node_modules/my-lib'] });
    expect(p.isRelevant('/proj/node_modules/my-lib/index.js')).toBe(true);
    expect(p.isIgnored('/proj/node_modules/other')).toBe(true);
  });

  it('handles Windows paths (backslashes, drive letters, case)', () => {
    const p = planWatch({
      watch: ['src\\**\\*.ts', 'lib', 'D:\\shared'],
      ignore: [...DEFAULT_IGNORES],
      extensions: ['ts', 'js'],
      cwd: 'C:\\proj',
    });
    expect(p.roots).toEqual(['C:\\proj\\src', 'C:\\proj\\lib', 'D:\\shared']);
    expect(p.isRelevant('C:\\proj\\src\\a\\b.ts')).toBe(true);
    // chokidar hands `ignored` forward-slash paths on Windows.
    expect(p.isRelevant('C:/proj/src/a/b.ts')).toBe(true);
    expect(p.isRelevant('c:\\PROJ\\SRC\\b.TS')).toBe(true);
    expect(p.isRelevant('C:\\proj\\src\\b.js')).toBe(false);
    expect(p.isRelevant('C:\\proj\\lib\\x.js')).toBe(true);
    expect(p.isRelevant('D:\\shared\\x.js')).toBe(true);
    expect(p.isIgnored('C:\\proj\\lib\\node_modules')).toBe(true);
    expect(p.isIgnored('C:/proj/lib/node_modules/x.js')).toBe(true);
    expect(p.isIgnored('C:\\proj')).toBe(false);
    expect(p.isIgnored('C:\\proj\\src')).toBe(false);
  });

  it('handles an empty watch list', () => {
    const p = plan({ watch: [] });
    expect(p.roots).toEqual([]);
    expect(p.isRelevant('/proj/a.js')).toBe(false);
  });
});

describe('normaliseExtensions', () => {
  it('splits, trims, strips dots, lower-cases and dedupes', () => {
    expect(normaliseExtensions(['js,ts, .json', '..TSX', 'js', ''])).toEqual(['.js', '.ts', '.json', '.tsx']);
    expect(normaliseExtensions()).toEqual([]);
  });
});

describe('findScriptDirectory', () => {
  const fsWith =
    (...files: string[]) =>
    (p: string) =>
      files.includes(p);

  it('finds `node server.js`', () => {
    expect(findScriptDirectory('node', ['server.js'], '/proj', fsWith('/proj/server.js'))).toBe('/proj');
  });

  it('finds `npx tsx src/index.ts`', () => {
    const exists = fsWith('/proj/src/index.ts');
    expect(findScriptDirectory('npx', ['tsx', 'src/index.ts'], '/proj', exists)).toBe('/proj/src');
  });

  it('skips flags', () => {
    const exists = fsWith('/proj/dist/main.mjs', '/proj/--inspect');
    const args = ['--inspect', '-r', 'dotenv/config', 'dist/main.mjs'];
    expect(findScriptDirectory('node', args, '/proj', exists)).toBe('/proj/dist');
  });

  it('returns undefined for `python -m mymod`', () => {
    expect(findScriptDirectory('python', ['-m', 'mymod'], '/proj', () => false)).toBeUndefined();
  });

  it('finds the script in `uv run --directory x server.py`', () => {
    const exists = fsWith('/proj/x', '/proj/server.py');
    const args = ['run', '--directory', 'x', 'server.py'];
    expect(findScriptDirectory('uv', args, '/proj', exists)).toBe('/proj');
    expect(findScriptDirectory('uv', args, '/proj', fsWith('/proj/x'))).toBeUndefined();
  });

  it('treats the command itself as the script (`./server.py`)', () => {
    const exists = fsWith('/proj/bin/server.py');
    expect(findScriptDirectory('./bin/server.py', ['--port', '3000'], '/proj', exists)).toBe('/proj/bin');
    // A bare command that happens to exist is not a script.
    expect(findScriptDirectory('/usr/bin/node', [], '/proj', fsWith('/usr/bin/node'))).toBeUndefined();
  });

  it('prefers a script extension over an earlier existing file', () => {
    const exists = fsWith('/proj/config.yaml', '/proj/app/main.py');
    const args = ['config.yaml', 'app/main.py'];
    expect(findScriptDirectory('python', args, '/proj', exists)).toBe('/proj/app');
  });

  it('falls back to another existing file with an extension, never to a bare directory', () => {
    expect(findScriptDirectory('php', ['srv/index.php'], '/proj', fsWith('/proj/srv/index.php'))).toBe(
      '/proj/srv',
    );
    const args = ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'];
    expect(findScriptDirectory('npx', args, '/proj', fsWith('/tmp'))).toBeUndefined();
  });

  it('handles absolute and Windows-style paths', () => {
    expect(findScriptDirectory('node', ['/srv/app/index.js'], '/proj', fsWith('/srv/app/index.js'))).toBe(
      '/srv/app',
    );
    const exists = fsWith('C:\\proj\\src\\server.ts');
    expect(findScriptDirectory('npx', ['tsx', 'src\\server.ts'], 'C:\\proj', exists)).toBe('C:\\proj\\src');
    expect(findScriptDirectory('node', ['D:/x/a.js'], 'C:\\proj', fsWith('D:\\x\\a.js'))).toBe('D:\\x');
  });
});

// `npm run deps` (scripts/check-deps.mjs) on small trees written here: it must fail on each rule of
// .dependency-cruiser.js and on a cycle between engine folders, and pass a tree that keeps them all.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHECKER = path.join(REPO, 'scripts/check-deps.mjs');
const made: string[] = [];

/** A tree with electron/… files (path → source), for `--root`. */
function tree(files: Record<string, string>): string {
  mkdirSync(path.join(REPO, '.tmp-test'), { recursive: true });
  const root = mkdtempSync(path.join(REPO, '.tmp-test', 'deps-'));
  made.push(root);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return root;
}

function check(root: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CHECKER, '--root', root], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** The problems reported, without the import lines under each cycle. */
const headlines = (out: string) =>
  out
    .split('\n')
    .filter((line) => /^ {2}\S/.test(line))
    .map((line) => line.trim())
    .sort();

// Engine folders alpha → beta → gamma, the engine's front door re-exporting a root file, the CLI
// and the tray app importing the engine through it.
const sound = {
  'electron/engine/engine.ts': 'export const engine = 1;\n',
  'electron/engine/index.ts': "export { engine } from './engine.js';\n",
  'electron/engine/alpha/a.ts': "import { b } from '../beta/b.js';\nexport const a = () => b;\n",
  'electron/engine/beta/b.ts': "import { c } from '../gamma/c.js';\nexport const b = () => c;\n",
  'electron/engine/gamma/c.ts': 'export const c = 1;\n',
  'electron/cli/x.ts': "import { engine } from '../engine/index.js';\nexport const x = engine;\n",
  'electron/main/m.ts': "import { engine } from '../engine/index.js';\nexport const m = engine;\n",
};

afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-deps.mjs', () => {
  it('passes a tree that keeps the front door and has no cycle between engine folders', async () => {
    const { code, out } = await check(tree(sound));
    expect(out).toMatch(/no cycle among 4 engine folders/);
    expect(code).toBe(0);
  });

  it('fails on a folder cycle (a type-only import closing it), a deep import, and each other rule', async () => {
    const { code, out } = await check(
      tree({
        ...sound,
        // gamma → alpha closes alpha → beta → gamma; a type is an import all the same.
        'electron/engine/gamma/c.ts':
          "import type { a } from '../alpha/a.js';\nexport const c = 1;\nexport type A = typeof a;\n",
        // Past the front door.
        'electron/cli/x.ts': "import { b } from '../engine/beta/b.js';\nexport const x = b;\n",
        'electron/engine/gamma/inside.ts': "export { engine } from '../index.js';\n",
        'electron/engine/gamma/outward.ts': "export { m } from '../../main/m.js';\n",
        'electron/main/m.ts': "import { x } from '../cli/x.js';\nexport const m = x;\n",
        // Test files are left out of the folder graph: this would be alpha ⇄ delta.
        'electron/engine/delta/d.ts': "import { a } from '../alpha/a.js';\nexport const d = a;\n",
        'electron/engine/alpha/a.test.ts': "import { d } from '../delta/d.js';\nexport const t = d;\n",
      }),
    );
    expect(code).toBe(1);
    expect(headlines(out)).toEqual([
      'engine-front-door: electron/cli/x.ts → electron/engine/beta/b.ts',
      'engine-is-headless: electron/engine/gamma/outward.ts → electron/main/m.ts',
      'folder cycle in electron/engine: alpha → beta → gamma → alpha',
      'front-door-is-for-outside: electron/engine/gamma/inside.ts → electron/engine/index.ts',
      'main-without-cli: electron/main/m.ts → electron/cli/x.ts',
    ]);
    // Each step of the cycle names an import that makes it.
    expect(out).toContain('electron/engine/gamma/c.ts → electron/engine/alpha/a.ts');
  });
});

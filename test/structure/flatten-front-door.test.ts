// scripts/flatten-front-door.mjs: the bundle's rewrite of front-door imports into imports from the
// modules behind it, so that each CLI command's chunk holds what it uses and not the whole engine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX = path.join(REPO, 'electron/engine/index.ts');

type Target = { module: string; name: string };
interface FlattenModule {
  frontDoorMap(indexFile: string): Map<string, Target>;
  flattenImports(source: string, map: Map<string, Target>, where: string): string;
}
const { frontDoorMap, flattenImports } = (await import(
  pathToFileURL(path.join(REPO, 'scripts/flatten-front-door.mjs')).href
)) as FlattenModule;

const engine = (file: string) => path.join(REPO, 'electron/engine', file);

describe('flatten-front-door', () => {
  const map = frontDoorMap(INDEX);

  it('maps each value the front door re-exports to its module, and leaves types out', () => {
    expect(map.get('hostEngine')).toEqual({ module: engine('engine-host.js'), name: 'hostEngine' });
    expect(map.get('EngineClient')).toEqual({ module: engine('http/api-client.js'), name: 'EngineClient' });
    expect(map.has('SecretStore')).toBe(false);
    expect(map.has('EngineOptions')).toBe(false);
  });

  it('splits an import by module, keeps the lines where they were, and drops type-only names', () => {
    const source = [
      'import {',
      '  hostEngine,',
      '  packageVersion as version,',
      '  type HostedEngine,',
      "} from '../engine/index.js';",
      'const x = 1;',
    ].join('\n');
    const out = flattenImports(source, map, 'x.ts').split('\n');
    expect(out).toHaveLength(6);
    expect(out[0]).toBe(
      `import { hostEngine } from ${JSON.stringify(engine('engine-host.js'))}; ` +
        `import { packageVersion as version } from ${JSON.stringify(engine('runtime/version.js'))};`,
    );
    expect(out[5]).toBe('const x = 1;');
  });

  it('refuses a name the front door does not re-export, rather than bundle it wrong', () => {
    expect(() => flattenImports("import { nothing } from '../engine/index.js';", map, 'x.ts')).toThrow(
      /x\.ts: the engine's front door exports no value "nothing"/,
    );
  });

  it('flattens every import of the front door in electron/cli and electron/main', () => {
    const files = ['electron/cli', 'electron/main']
      .flatMap((dir) =>
        readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' }).map((f) =>
          path.join(dir, f),
        ),
      )
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    let flattened = 0;
    for (const file of files) {
      const source = readFileSync(path.join(REPO, file), 'utf8');
      const out = flattenImports(source, map, file);
      if (out !== source) flattened++;
      // What is left of the front door are type-only imports, which the bundle drops anyway.
      expect(out, file).not.toMatch(/import\s*\{[^}]*\}\s*from\s*'[^']*engine\/index\.js'/);
    }
    expect(flattened).toBeGreaterThan(5);
  });
});

// An esbuild plugin for scripts/bundle.mjs. The CLI imports the engine through its front door
// (electron/engine/index.ts), but esbuild's code splitting gives every chunk that imports a barrel
// file everything of it that any chunk uses: `switchboard run`, which needs ~40 modules, would load
// the whole engine (~370) before its first answer. So the bundle rewrites each
// `import { … } from '…/engine/index.js'` of the files that `importers` matches into imports from
// the modules the front door re-exports those names from.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*['"]([^'"]*\/engine\/index\.js)['"];?/g;
const EXPORT_FROM = /export\s*(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

const specifiers = (list) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const type = /^type\s/.test(s);
      const [imported, local = imported] = s.replace(/^type\s+/, '').split(/\s+as\s+/);
      return { type, imported, local };
    });

/** Exported name → the absolute path of the module the front door takes it from. */
export function frontDoorMap(indexFile) {
  const map = new Map();
  for (const [, typeOnly, list, spec] of readFileSync(indexFile, 'utf8').matchAll(EXPORT_FROM)) {
    if (typeOnly) continue;
    const target = path.resolve(path.dirname(indexFile), spec);
    for (const { type, imported, local } of specifiers(list))
      if (!type) map.set(local, { module: target, name: imported });
  }
  return map;
}

/** `source` with its front-door imports replaced; line numbers kept (source maps stay right). */
export function flattenImports(source, map, where) {
  return source.replace(IMPORT, (whole, list) => {
    const byModule = new Map();
    for (const { type, imported, local } of specifiers(list)) {
      if (type) continue;
      const from = map.get(imported);
      if (!from) throw new Error(`${where}: the engine's front door exports no value "${imported}"`);
      const names = byModule.get(from.module) ?? [];
      names.push(from.name === local ? local : `${from.name} as ${local}`);
      byModule.set(from.module, names);
    }
    const imports = [...byModule].map(
      ([file, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(file)};`,
    );
    return imports.join(' ') + '\n'.repeat(whole.split('\n').length - 1);
  });
}

/** The plugin: `indexFile` is the front door as the bundle sees it (source .ts or compiled .js). */
export function flattenFrontDoor({ indexFile, importers }) {
  return {
    name: 'flatten-front-door',
    setup(build) {
      const map = frontDoorMap(indexFile);
      build.onLoad({ filter: importers }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        return {
          contents: flattenImports(source, map, args.path),
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

// Bundles what runs outside the browser, npm packages included:
// - dist/cli/: the `switchboard` command (from the compiled dist/electron/cli/main.js). One file per
//   command instead of ~300 small modules halves the time from `switchboard serve` to a listening
//   engine (and from an AI client spawning `switchboard run` to its first answer).
// - dist/main/main.js: the Electron main process (ES module; 'electron' is provided at run time).
// - dist/preload/preload.cjs: the window's preload (CommonJS: sandboxed preloads cannot be modules).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { flattenFrontDoor } from './flatten-front-door.mjs';

// Some npm packages here are CommonJS and call require() for Node built-ins.
const requireShim = {
  js: "import { createRequire as __sbRequire } from 'node:module'; const require = __sbRequire(import.meta.url);",
};
// Native addons load their platform's prebuilt binary at run time: never bundled.
const NATIVE = ['@napi-rs/keyring'];
// jsonc-parser's "main" is a UMD build whose require('./impl/...') calls esbuild leaves unresolved:
// its ES module build bundles cleanly.
const alias = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  alias,
};

for (const dir of ['dist/cli', 'dist/main', 'dist/preload']) rmSync(dir, { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'dist/electron/cli/main.js' },
    outdir: 'dist/cli',
    splitting: true, // each command its own chunk, loaded on first use
    format: 'esm',
    external: NATIVE,
    banner: requireShim,
    // Each command's chunk holds what that command imports from the engine, not the whole engine.
    plugins: [
      flattenFrontDoor({
        indexFile: 'dist/electron/engine/index.js',
        importers: /[\\/]dist[\\/]electron[\\/]cli[\\/][^\\/]+\.js$/,
      }),
    ],
  }),
  build({
    ...common,
    entryPoints: { main: 'electron/main/main.ts' },
    outdir: 'dist/main',
    format: 'esm',
    external: ['electron', ...NATIVE],
    banner: requireShim,
    plugins: [
      flattenFrontDoor({
        indexFile: 'electron/engine/index.ts',
        importers: /[\\/]electron[\\/]main[\\/].*\.ts$/,
      }),
    ],
  }),
  build({
    ...common,
    entryPoints: { preload: 'electron/preload/preload.ts' },
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    target: 'chrome140',
    platform: 'browser',
    external: ['electron'],
  }),
]);

// Bundles the compiled CLI (dist/electron/cli/main.js) and everything it imports, npm packages
// included, into dist/cli/. Loading one file per command instead of ~300 small modules halves the
// time from `switchboard serve` to a listening engine (and from an AI client spawning
// `switchboard run` to its first answer). Each command stays its own chunk, loaded on first use.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true }); // no stale chunks from an earlier build

await build({
  entryPoints: { main: 'dist/electron/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Some npm packages here are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __sbRequire } from 'node:module'; const require = __sbRequire(import.meta.url);",
  },
});

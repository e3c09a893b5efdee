// The engine's structure, checked by `npm run deps` (scripts/check-deps.mjs, part of `npm run check`).
// These rules are dependency-cruiser's; the script adds the one it cannot express: no import cycle
// between the first-level folders of electron/engine. `npx depcruise electron` runs these rules alone.
// electron/shared/ stays open to everyone (eslint.config.js keeps Electron and the UI out of it).

const FRONT_DOOR = '^electron/engine/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'engine-front-door',
      severity: 'error',
      comment: 'electron/cli and electron/main import the engine from electron/engine/index.ts only.',
      from: { path: '^electron/(cli|main)/' },
      to: { path: '^electron/engine/', pathNot: FRONT_DOOR },
    },
    {
      name: 'front-door-is-for-outside',
      severity: 'error',
      comment: 'Files in electron/engine import each other directly, never through the front door.',
      from: { path: '^electron/engine/', pathNot: FRONT_DOOR },
      to: { path: FRONT_DOOR },
    },
    {
      name: 'engine-is-headless',
      severity: 'error',
      comment: 'The engine never imports the CLI or the tray app: they import it.',
      from: { path: '^electron/engine/' },
      to: { path: '^electron/(cli|main)/' },
    },
    {
      name: 'main-without-cli',
      severity: 'error',
      comment: 'The tray app takes what it shares with the CLI from the engine (or electron/shared).',
      from: { path: '^electron/main/' },
      to: { path: '^electron/cli/' },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve is one it cannot check.',
      from: { path: '^electron/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a cycle of types is a cycle all the same.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};

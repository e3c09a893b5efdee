#!/usr/bin/env node
// Launcher for the `switchboard` command: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';

// The bundle (scripts/bundle.mjs) loads in half the time of the ~300 compiled modules.
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'switchboard: the CLI is not built yet. Run `npm run build` (npm ci does it for you).\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
// Let what is queued on stdout leave before exiting; never wait forever on a dead pipe.
const fallback = setTimeout(() => process.exit(code), 1000);
process.stdout.write('', () => {
  clearTimeout(fallback);
  process.exit(code);
});

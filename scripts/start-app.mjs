// `npm start`: the tray app from this checkout (after `npm run build`). Electron's binary is
// downloaded by its own installer, which this project does not run (package.json allowScripts): say
// so plainly, and point to the headless engine, instead of failing with Electron's own message.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let binary;
try {
  binary = createRequire(import.meta.url)('electron');
} catch {
  binary = undefined;
}
if (typeof binary !== 'string' || !existsSync(binary)) {
  process.stderr.write(
    [
      'switchboard: the Electron binary is not installed, so the tray app cannot start here.',
      '  Its download is skipped on install. Where github.com is reachable, fetch it with:',
      '    node node_modules/electron/install.js',
      '  Without a desktop (or without Electron), run the engine headless and open its window in a browser:',
      '    npx switchboard serve      # then, in another terminal: npx switchboard open',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(binary, [repo, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

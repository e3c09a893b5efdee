// Starts a grandchild in the same process group that ignores SIGTERM and holds our stdout/stderr,
// prints its pid, then idles. Exits on SIGTERM itself (Node's default).
import { spawn } from 'node:child_process';

const grandchild = spawn(
  process.execPath,
  ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.send('up');"],
  { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);
grandchild.once('message', () => {
  grandchild.disconnect();
  // The callback makes sure the pid is out before an --exit (pipes can be async, e.g. on macOS).
  process.stdout.write(`${grandchild.pid}\n`, () => {
    if (process.argv.includes('--exit')) process.exit(0);
  });
});
setInterval(() => {}, 1000);

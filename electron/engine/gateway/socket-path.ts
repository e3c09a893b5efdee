import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Unix socket paths must fit in sockaddr_un (104 bytes on macOS); longer homes use the temp dir. */
const MAX_SOCKET_PATH = 100;

/** Where the engine of `home` listens for `switchboard connect`: a Unix socket, or a named pipe on Windows. */
export function engineSocketPath(home: string, platform: NodeJS.Platform = process.platform): string {
  const hash = createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\switchboard-${hash}`;
  const inHome = path.join(home, 'engine.sock');
  return inHome.length <= MAX_SOCKET_PATH ? inHome : path.join(os.tmpdir(), `switchboard-${hash}.sock`);
}

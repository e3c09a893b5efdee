import { existsSync } from 'node:fs';
import path from 'node:path';

/** A command found on PATH, by absolute path (Windows tries .cmd and .exe too); undefined: none. */
export function findOnPath(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): string | undefined {
  const windows = platform === 'win32';
  const p = windows ? path.win32 : path.posix;
  const extensions = windows ? ['.cmd', '.exe', ''] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(windows ? ';' : ':')) {
    if (dir === '') continue;
    for (const ext of extensions) {
      const candidate = p.join(dir, name + ext);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `<home>/engine.json`: how the CLI and other tools find (and may talk to) a running engine. */
export interface EngineInfo {
  pid: number;
  host: string;
  port: number;
  url: string;
  /** Bearer token for the control API; the file is readable by its owner only. */
  token: string;
  startedAt: number;
  /** The local socket (named pipe on Windows) that `switchboard connect` uses. */
  socket?: string;
}

export const ENGINE_INFO_FILE = 'engine.json';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Written atomically with mode 0600, since it holds the control API's token. */
export async function writeEngineInfo(home: string, info: EngineInfo): Promise<string> {
  await fs.mkdir(home, { recursive: true });
  const file = path.join(home, ENGINE_INFO_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(temp, 0o600); // the umask cannot widen it, but an existing file's mode could
  await fs.rename(temp, file);
  return file;
}

/** The running engine of this home, or undefined when none is (a stale file is ignored). */
export async function readEngineInfo(home: string): Promise<EngineInfo | undefined> {
  let info: EngineInfo;
  try {
    info = JSON.parse(await fs.readFile(path.join(home, ENGINE_INFO_FILE), 'utf8')) as EngineInfo;
  } catch {
    return undefined;
  }
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return info;
}

/** Removes the file, but only if it is still ours (another engine may have taken over). */
export async function removeEngineInfo(home: string, pid = process.pid): Promise<void> {
  const file = path.join(home, ENGINE_INFO_FILE);
  try {
    const info = JSON.parse(await fs.readFile(file, 'utf8')) as EngineInfo;
    if (info.pid === pid) await fs.rm(file, { force: true });
  } catch {
    // already gone
  }
}

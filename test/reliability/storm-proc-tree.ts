import { readdirSync, readFileSync } from 'node:fs';

// The process tree under a process this test started, read from /proc (Linux). The storms kill
// only pids found here, so nothing outside the test's own tree is ever touched.

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // gone
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(/\s+/).map(Number));
    } catch {
      // the thread or the process ended while we read
    }
  }
  return children;
}

/** Every process below `root` (children, grandchildren, ...). */
export function descendantsOf(root: number): number[] {
  const found: number[] = [];
  const queue = childrenOf(root);
  while (queue.length > 0 && found.length < 10_000) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...childrenOf(pid));
  }
  return found;
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** SIGKILLs `pid` only when it is below `root` and runs `script`; false when it is not (or gone). */
export function killBelow(root: number, pid: number, script: string): boolean {
  if (!descendantsOf(root).includes(pid) || !cmdlineOf(pid).includes(script)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

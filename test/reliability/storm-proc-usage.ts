import { readdirSync, readFileSync } from 'node:fs';

// What a process holds, read from /proc (Linux): the figures the churn test compares for leaks.

/** Open file descriptors of `pid`. */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident set size of `pid`, in bytes. */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

export const mib = (bytes: number) => Math.round(bytes / (1024 * 1024));

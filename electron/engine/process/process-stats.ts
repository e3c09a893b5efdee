import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';

/** Resource use of a server: its whole process group (npx → node → server counts as one). */
export interface ProcessUsage {
  /** Percent of one core since the previous sample (200 = two cores busy). */
  cpuPercent: number;
  rssBytes: number;
  processes: number;
}

interface GroupTotals {
  cpuMs: number;
  rssBytes: number;
  processes: number;
}

/** Linux reports times in USER_HZ, which is 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

/** Reads a process group's totals from /proc (Linux) or `ps` (macOS); undefined elsewhere. */
export async function readGroupTotals(
  pgid: number,
  platform = process.platform,
): Promise<GroupTotals | undefined> {
  if (platform === 'linux') return readFromProc(pgid);
  if (platform === 'darwin' || platform === 'freebsd') return readFromPs(pgid);
  return undefined;
}

async function readFromProc(pgid: number): Promise<GroupTotals | undefined> {
  const totals: GroupTotals = { cpuMs: 0, rssBytes: 0, processes: 0 };
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // The command name may hold spaces and parens: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid || fields[0] === 'Z') continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    totals.cpuMs += (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
    totals.rssBytes += Number(fields[21]) * PAGE_SIZE;
    totals.processes++;
  }
  return totals.processes > 0 ? totals : undefined;
}

async function readFromPs(pgid: number): Promise<GroupTotals | undefined> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-o', 'pgid=,rss=,time=']);
  const totals: GroupTotals = { cpuMs: 0, rssBytes: 0, processes: 0 };
  for (const line of stdout.split('\n')) {
    const [group, rssKb, time] = line.trim().split(/\s+/);
    if (Number(group) !== pgid || !time) continue;
    totals.cpuMs += parseCpuTime(time);
    totals.rssBytes += Number(rssKb) * 1024;
    totals.processes++;
  }
  return totals.processes > 0 ? totals : undefined;
}

/** `ps` time: [[dd-]hh:]mm:ss[.cc] */
export function parseCpuTime(text: string): number {
  const [daysPart, rest] = text.includes('-') ? text.split('-') : ['0', text];
  const parts = (rest ?? '').split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  const [h, m, s] = parts as [number, number, number];
  return ((Number(daysPart) * 24 + h) * 3600 + m * 60 + s) * 1000;
}

/** Turns successive totals into CPU percent over the interval between samples. */
export class ProcessUsageSampler {
  private previous: { at: number; cpuMs: number } | undefined;

  constructor(
    private readonly pgid: number,
    private readonly now: () => number = () => performance.now(),
    private readonly read: (pgid: number) => Promise<GroupTotals | undefined> = readGroupTotals,
  ) {}

  async sample(): Promise<ProcessUsage | undefined> {
    const totals = await this.read(this.pgid);
    if (!totals) return undefined;
    const at = this.now();
    const previous = this.previous;
    this.previous = { at, cpuMs: totals.cpuMs };
    const cpuPercent =
      previous && at > previous.at
        ? Math.max(0, ((totals.cpuMs - previous.cpuMs) / (at - previous.at)) * 100)
        : 0;
    return { cpuPercent, rssBytes: totals.rssBytes, processes: totals.processes };
  }
}

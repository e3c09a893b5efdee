import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

/** Resource use of a server: its whole process group (npx → node → server counts as one). */
export interface ProcessUsage {
  /** Percent of one core since the previous sample (200 = two cores busy). */
  cpuPercent: number;
  rssBytes: number;
  processes: number;
}

export interface GroupTotals {
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
  return (await readGroupsTotals(new Set([pgid]), platform)).get(pgid);
}

/**
 * The totals of every group in `pgids` from ONE read of the process table (a pass over /proc, or
 * one `ps`): the cost of a sample grows with the machine's processes, not servers × processes.
 * Groups with no live process are absent. Empty where the platform has neither.
 */
export async function readGroupsTotals(
  pgids: ReadonlySet<number>,
  platform = process.platform,
): Promise<Map<number, GroupTotals>> {
  if (pgids.size === 0) return new Map();
  if (platform === 'linux') return readFromProc(pgids);
  if (platform === 'darwin' || platform === 'freebsd') return readFromPs(pgids);
  return new Map();
}

function add(groups: Map<number, GroupTotals>, pgid: number, cpuMs: number, rssBytes: number): void {
  let totals = groups.get(pgid);
  if (!totals) groups.set(pgid, (totals = { cpuMs: 0, rssBytes: 0, processes: 0 }));
  totals.cpuMs += cpuMs;
  totals.rssBytes += rssBytes;
  totals.processes++;
}

/**
 * Synchronous on purpose: /proc is not a disk, and a few hundred small sync reads cost less CPU
 * than as many trips through the thread pool (one pass takes a few milliseconds).
 */
function readFromProc(pgids: ReadonlySet<number>): Map<number, GroupTotals> {
  const groups = new Map<number, GroupTotals>();
  for (const entry of readdirSync('/proc')) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a pid
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // The command name may hold spaces and parens: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgid = Number(fields[2]);
    if (!pgids.has(pgid) || fields[0] === 'Z') continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    add(groups, pgid, (ticks * 1000) / CLOCK_TICKS_PER_SECOND, Number(fields[21]) * PAGE_SIZE);
  }
  return groups;
}

async function readFromPs(pgids: ReadonlySet<number>): Promise<Map<number, GroupTotals>> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-o', 'pgid=,rss=,time=']);
  const groups = new Map<number, GroupTotals>();
  for (const line of stdout.split('\n')) {
    const [group, rssKb, time] = line.trim().split(/\s+/);
    const pgid = Number(group);
    if (!pgids.has(pgid) || !time) continue;
    add(groups, pgid, parseCpuTime(time), Number(rssKb) * 1024);
  }
  return groups;
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
    return this.fromTotals(await this.read(this.pgid));
  }

  /** The usage since the previous sample, from totals read elsewhere (one read for many groups). */
  fromTotals(totals: GroupTotals | undefined): ProcessUsage | undefined {
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

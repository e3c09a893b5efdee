import type { ExtensionDto } from '../../../../electron/shared/api.js';

/** One of an extension's hook figures; `calls` marks its calls and failures, `bad` when any failed. */
export interface HookFigure {
  text: string;
  calls?: boolean;
  bad?: boolean;
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
function hookCalls(calls: number, failures: number | undefined): string {
  const failed = failures === undefined ? '' : `, ${count(failures, 'failure')}`;
  return `${count(calls, 'call')}${failed}${(failures ?? 0) > 0 ? ' (threw or timed out)' : ''}`;
}

/** Its hook figures in small print: time per call, calls, failures (in the error colour when any). */
export function hookFigures(ext: ExtensionDto): HookFigure[] {
  const out: HookFigure[] = [];
  if (ext.hookP50Ms !== undefined) out.push({ text: `p50 ${ms(ext.hookP50Ms)}` });
  if (ext.hookP99Ms !== undefined) out.push({ text: `p99 ${ms(ext.hookP99Ms)}` });
  if (ext.hookCalls !== undefined) {
    const bad = (ext.hookFailures ?? 0) > 0;
    out.push({ text: hookCalls(ext.hookCalls, ext.hookFailures), calls: true, bad });
  }
  return out;
}

/**
 * The stderr line that says why a process died, out of its last lines. Runtimes end a crash with
 * noise: Node prints the stack, the thrown object's fields and its own version ("Node.js v20.20.2");
 * Python the traceback before the exception. The exception line is what a person needs.
 */
export function meaningfulStderrLine(lines: readonly string[]): string | undefined {
  const kept = lines.map((l) => l.trim()).filter((l) => l && !isNoise(l));
  for (let i = kept.length - 1; i >= 0; i--) if (EXCEPTION.test(kept[i]!)) return kept[i];
  return kept.at(-1);
}

/** `Error: x`, `TypeError: x`, `Error [ERR_MODULE_NOT_FOUND]: x`, `ModuleNotFoundError: x`, `panic: x`. */
const EXCEPTION = /^(?:Uncaught )?(?:[A-Z][\w.]*(?:Error|Exception)\b|Error\b|panic:|fatal:|FATAL\b)/;

const NOISE: readonly RegExp[] = [
  /^Node\.js v\d/, // Node's version, printed after an uncaught exception
  /^at\s/, // stack frames
  /^\^+$/, // the caret under the throwing source line
  /^[{}[\]],?$/, // the thrown object's braces
  /^[a-zA-Z]\w*: ['"[{\d]/, // its fields (`code: 'MODULE_NOT_FOUND',`)
  /^-\s/, // Node's "Require stack:" entries
  /^Require stack:$/,
  /^Traceback \(most recent call last\):$/,
  /^File ".*", line \d+/, // Python frames
];

function isNoise(line: string): boolean {
  return !EXCEPTION.test(line) && NOISE.some((pattern) => pattern.test(line));
}

/**
 * A server's log line as stored: its time (ISO 8601, UTC) and the text. Each start of a process
 * adds a mark, so one run's lines can be told from the next one's.
 */
const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/s;

export function stampLogLine(at: number, text: string): string {
  return `${new Date(at).toISOString()} ${text}`;
}

/** The text of the mark a process start leaves in its server's log. */
export function runMark(pid: number | undefined): string {
  return `──── process ${pid ?? '?'} started ────`;
}

/** A stored line's time and text; a line from before timestamps has only text. */
export function parseLogLine(line: string): { at?: string; text: string } {
  const match = STAMPED.exec(line);
  return match ? { at: match[1]!, text: match[2]! } : { text: line };
}

/** Notifications are read at a glance; the full text is in the window and the logs. */
export const MAX_NOTICE_CHARS = 160;

/** One line of at most `max` characters, ending with "…" when cut. */
export function oneLine(text: string, max = MAX_NOTICE_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The text as a sentence: capitalised, and ending with a full stop unless it already ends one. */
export function asSentence(text: string): string {
  if (text === '') return '';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

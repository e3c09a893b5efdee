/** A word as a POSIX shell reads it back: as it is when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line a person can paste into a shell. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

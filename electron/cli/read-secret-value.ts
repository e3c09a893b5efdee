import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** stdin as far as reading a secret goes: a terminal has `isTTY` and `setRawMode`. */
export type SecretInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';
const BACKSPACES = new Set(['\u007f', '\b']);

/**
 * A secret's value: typed without echo at a terminal, else all of stdin (a pipe or a file).
 * Undefined when the person pressed Ctrl-C at the prompt.
 */
export async function readSecretValue(
  prompt: string,
  stdin: SecretInput,
  stderr: Writable,
): Promise<string | undefined> {
  return isTerminal(stdin) ? readTyped(prompt, stdin, stderr) : readPiped(stdin);
}

type Terminal = SecretInput & { setRawMode: (raw: boolean) => unknown };

function isTerminal(stdin: SecretInput): stdin is Terminal {
  return stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

/**
 * All of a non-terminal stdin, less ONE trailing newline: `echo x |` and `printf x |` both give "x",
 * while a value that really ends in blank lines or spaces keeps them.
 */
export async function readPiped(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return withoutOneNewline(Buffer.concat(chunks).toString('utf8'));
}

export function withoutOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * Reads one line in raw mode, so nothing typed is echoed (not even as `*`: the length is a clue too).
 * Enter ends it, Backspace removes a character, Ctrl-U clears the line, Ctrl-C cancels. Raw mode
 * also means Ctrl-C arrives here as a character, not as SIGINT, so the terminal is always restored.
 */
export function readTyped(prompt: string, stdin: Terminal, stderr: Writable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const typed: string[] = []; // code points, so Backspace removes a whole character
    // Arrow and function keys send escape sequences (ESC [ ... final byte); none of it is the value.
    let escape: 'none' | 'start' | 'sequence' = 'none';

    const cleanUp = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n'); // Enter was not echoed either
    };
    const finish = (value: string | undefined) => {
      cleanUp();
      resolve(value);
    };
    const onEnd = () => finish(typed.join(''));
    const onError = (err: Error) => {
      cleanUp();
      reject(err);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (escape === 'start') {
          escape = ch === '[' || ch === 'O' ? 'sequence' : 'none';
          continue;
        }
        if (escape === 'sequence') {
          const code = ch.codePointAt(0)!;
          if (code >= 0x40 && code <= 0x7e) escape = 'none';
          continue;
        }
        if (ch === '\r' || ch === '\n' || ch === CTRL_D) return finish(typed.join(''));
        if (ch === CTRL_C) return finish(undefined);
        if (ch === ESC) escape = 'start';
        else if (BACKSPACES.has(ch)) typed.pop();
        else if (ch === CTRL_U) typed.length = 0;
        else if (ch >= ' ' || ch === '\t') typed.push(ch);
      }
    };

    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}

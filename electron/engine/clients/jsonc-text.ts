import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** How a JSON file is laid out, so an edit writes it the way it was (and the way the client wrote it). */
export interface JsonLayout {
  bom: boolean;
  eol: '\n' | '\r\n';
  insertSpaces: boolean;
  tabSize: number;
}

export type JsoncParse = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

const BOM = '\uFEFF';

/**
 * Reads JSON with what clients allow on top: comments and trailing commas (VS Code, Cursor, Gemini),
 * a byte-order mark (editors on Windows). An empty file is an empty object.
 */
export function parseJsonc(text: string, file: string): JsoncParse {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') return { ok: true, value: {} };
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(body, first.offset);
    return {
      ok: false,
      problem: `${file} is not valid JSON at line ${line}, column ${column} (${printParseErrorCode(first.error)}); fix it there (the client cannot read it either), then try again`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problem: `${file} must hold a JSON object ({...}) at the top, not ${describe(value)}; fix it (the client cannot read it either), then try again`,
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export function jsonLayout(text: string): JsonLayout {
  const indent = /^([ \t]+)["}\]]/m.exec(text.startsWith(BOM) ? text.slice(1) : text)?.[1];
  return {
    bom: text.startsWith(BOM),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertSpaces: !indent?.startsWith('\t'),
    tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
  };
}

/**
 * Sets (or, with `undefined`, removes) the value at `path`, touching nothing else: comments, key
 * order and the rest of the file's text stay as they were.
 */
export function setJsonValue(text: string, path: readonly (string | number)[], value: unknown): string {
  const layout = jsonLayout(text);
  const hasBom = layout.bom;
  let body = hasBom ? text.slice(1) : text;
  if (body.trim() === '') body = `{}${layout.eol}`;
  const edits = modify(body, [...path], value, {
    formattingOptions: { insertSpaces: layout.insertSpaces, tabSize: layout.tabSize, eol: layout.eol },
  });
  const next = applyEdits(body, edits);
  return hasBom ? BOM + next : next;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}

import type { z } from 'zod';

/** One problem in the config file: where it is, what is wrong, and what to do about it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Turns zod's issues into `mcpServers.notes.command: required — add ...` lines a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    // A server entry without command/url is reported on its missing `type`; point at the entry.
    const path =
      issue.code === 'invalid_union' && issue.path.at(-1) === 'type' ? issue.path.slice(0, -1) : issue.path;
    return { path: formatPath(path), message: describeIssue(issue) };
  });
}

/** Parse options that make zod keep the offending value, so messages can say what was found. */
export const PARSE_OPTIONS = { reportInput: true } as const;

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const text = String(key);
      const plain = /^[A-Za-z_$][\w$-]*$/.test(text);
      if (!plain) return `[${JSON.stringify(text)}]`;
      return i === 0 ? text : `.${text}`;
    })
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = (issue as { input?: unknown }).input;
      if (received === undefined) return `required — add it (${issue.expected})`;
      return `must be ${article(issue.expected)}, not ${kindOf(received)}`;
    }
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      // A pattern's own words (secret and server names) say more than "must be a valid regex".
      if (issue.format === 'regex' && !issue.message.startsWith('Invalid')) return issue.message;
      return issue.format === 'url'
        ? 'must be an http(s) URL such as https://mcp.example.com/mcp'
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? 'is not a valid name';
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'record') return 'an object';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

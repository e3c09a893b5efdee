import type { z } from 'zod';
import {
  apiOperations,
  apiStreams,
  type ApiErrorBody,
  type ApiHandlers,
  type ApiStreamHandlers,
} from '../../shared/api.js';
import { describeIssues, formatProblems, PARSE_OPTIONS } from '../../shared/config-errors.js';
import { ApiError } from '../errors/api-error.js';

type AnyHandler = (input: unknown) => Promise<unknown>;
type AnyStreamHandler = (input: unknown, send: (item: unknown) => void) => Promise<() => void>;

/**
 * The API table's operations and streams by name, for any transport (HTTP routes, Electron IPC):
 * the input is checked with the table's zod schema before a handler sees it, so a transport never
 * hands the engine something the table does not allow.
 */
export class ApiDispatcher {
  constructor(private readonly handlers: ApiHandlers & ApiStreamHandlers) {}

  /** Runs operation `name` on `raw` input; throws ApiError (404 unknown name, 400 invalid input, …). */
  async invoke(name: string, raw: unknown): Promise<unknown> {
    const spec = Object.hasOwn(apiOperations, name) ? apiOperations[name as keyof ApiHandlers] : undefined;
    if (!spec) throw new ApiError(404, `no operation named "${name}"; the API table lists them`);
    const input = parseApiInput(name, spec.input, raw);
    return (this.handlers[name as keyof ApiHandlers] as AnyHandler)(input);
  }

  /** Starts stream `name`; resolves with how to stop it. */
  async subscribe(name: string, raw: unknown, send: (item: unknown) => void): Promise<() => void> {
    const spec = Object.hasOwn(apiStreams, name) ? apiStreams[name as keyof ApiStreamHandlers] : undefined;
    if (!spec) throw new ApiError(404, `no stream named "${name}"; the API table lists them`);
    const input = parseApiInput(name, spec.input, raw);
    return (this.handlers[name as keyof ApiStreamHandlers] as AnyStreamHandler)(input, send);
  }
}

/** Checks `raw` against an operation's input schema: the parsed input, or ApiError 400 with each problem's path. */
export function parseApiInput(name: string, schema: z.ZodType, raw: unknown): unknown {
  const result = schema.safeParse(raw ?? {}, PARSE_OPTIONS);
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues);
  throw new ApiError(400, `invalid input for ${name}:\n${formatProblems(problems)}`, problems);
}

/** What a failure looks like to a caller: the ApiError's status and body, else 500 with the message. */
export function apiFailure(err: unknown): { status: number; error: ApiErrorBody } {
  if (err instanceof ApiError) return { status: err.status, error: err.body };
  return { status: 500, error: { error: err instanceof Error ? err.message : String(err) } };
}

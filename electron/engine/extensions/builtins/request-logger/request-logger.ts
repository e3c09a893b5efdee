import { z } from 'zod';
import type { ActivityEntryDto } from '../../../../shared/api.js';
import type { JsonRpcMessage } from '../../../jsonrpc/messages.js';
import { redact, redactText } from '../../../logging/redact.js';
import type { CallInfo, Extension, ExtensionContext, JsonObject, RequestMessage } from '../../extension.js';
import { ActivityLog, type ActivityStatus } from './activity-log.js';

export const REQUEST_LOGGER_ID = 'request-logger';

/** Error reasons that mean Switchboard refused the call, not that the server failed it. */
const BLOCKED_REASONS = new Set(['blocked_by_extension', 'rate_limited', 'circuit_open']);
const MAX_ERROR_CHARS = 1000;

const schema = z.object({
  maxFileBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(5 * 1024 * 1024)
    .describe('The log file is rotated when it reaches this many bytes.')
    .meta({ title: 'Rotate the log at (bytes)' }),
  maxFiles: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe('How many log files to keep, the current one included (older ones are deleted).')
    .meta({ title: 'Log files kept' }),
  logParams: z
    .boolean()
    .default(true)
    .describe("Record each request's parameters (secrets redacted). Off: only the method, tool and timing.")
    .meta({ title: 'Record parameters' }),
  maxParamBytes: z
    .number()
    .int()
    .min(256)
    .max(64 * 1024)
    .default(2048)
    .describe('Parameters longer than this many bytes are cut.')
    .meta({ title: 'Cut parameters at (bytes)' }),
});

export type RequestLoggerConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

export interface ActivitySearchInput {
  query?: string;
  server?: string;
  status?: ActivityStatus;
  limit?: number;
}

/** Records every call (who, what, how long, how it ended) in a bounded on-disk log the window searches. */
export class RequestLogger implements Extension {
  readonly id = REQUEST_LOGGER_ID;
  readonly name = 'Request log';
  readonly version = '1.0.0';
  readonly description =
    'Keeps a searchable log of the calls clients make: server, tool, timing, outcome and parameters (secrets redacted).';
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private ctx: ExtensionContext | undefined;
  private config: RequestLoggerConfig = schema.parse({});
  private log: ActivityLog | undefined;

  initialize(ctx: ExtensionContext): void {
    this.ctx = ctx;
    this.config = schema.parse(ctx.config);
    let reported = false;
    this.log = new ActivityLog({
      dir: ctx.dataDir,
      clock: ctx.clock,
      maxFileBytes: this.config.maxFileBytes,
      maxFiles: this.config.maxFiles,
      onError: (err) => {
        // Once per run: a full disk would otherwise log on every flush.
        if (reported) return;
        reported = true;
        ctx.log.warn(`could not write the activity log (entries are being lost): ${err.message}`);
      },
    });
  }

  configure(config: JsonObject): void {
    this.config = schema.parse(config);
    this.log?.setLimits(this.config);
  }

  async shutdown(): Promise<void> {
    await this.log?.close();
  }

  /** Nothing to do on the way in: the call carries its start time and the reply hook gets the request. */
  onRequest(request: RequestMessage): RequestMessage {
    return request;
  }

  onResponse(reply: JsonRpcMessage, call: CallInfo, request: RequestMessage): JsonRpcMessage {
    this.record(call, request, outcomeOf(reply), byteLength(reply));
    return reply;
  }

  onCancelled(call: CallInfo, request: RequestMessage): void {
    this.record(call, request, { status: 'cancelled' }, 0);
  }

  /** Entries newest first, across every kept file and the lines not yet written. */
  async search(input: ActivitySearchInput = {}): Promise<ActivityEntryDto[]> {
    if (!this.log) return [];
    return this.log.search({ ...input, limit: input.limit ?? 100 });
  }

  /** Writes buffered entries now (the log also does so on its own within 200 ms). */
  async flush(): Promise<void> {
    await this.log?.flush();
  }

  private record(
    call: CallInfo,
    request: RequestMessage,
    outcome: { status: ActivityStatus; error?: string },
    responseBytes: number,
  ): void {
    const log = this.log;
    const ctx = this.ctx;
    if (!log || !ctx) return;
    // The params' JSON is measured once: for the request's size and for the cut of what is logged.
    const paramsJson = request.params === undefined ? undefined : (JSON.stringify(request.params) ?? '');
    const entry: ActivityEntryDto = {
      at: call.startedAt,
      session: call.session,
      endpoint: call.endpoint,
      server: call.server,
      method: call.method,
      durationMs: Math.max(0, ctx.clock.now() - call.startedAt),
      status: outcome.status,
      requestBytes: envelopeBytes(request) + (paramsJson === undefined ? 0 : Buffer.byteLength(paramsJson)),
      responseBytes,
    };
    if (call.client !== undefined) entry.client = call.client;
    if (call.tool !== undefined) entry.tool = call.tool;
    if (outcome.error !== undefined) entry.error = redactText(outcome.error);
    if (this.config.logParams && request.params !== undefined)
      entry.params = this.paramsOf(request.params, paramsJson);
    log.append(entry);
  }

  /** Params redacted, then cut: kept as an object when they fit, else as the start of their JSON. */
  private paramsOf(params: unknown, json: string | undefined): unknown {
    if (params === undefined) return undefined;
    const max = this.config.maxParamBytes;
    const redacted = redact(params, { maxStringChars: max, maxNodes: 2000 });
    // Redaction only shortens ("[redacted]" is shorter than any secret it hides, bar a few): params
    // whose own JSON fits are kept as an object, without a second serialization.
    if (json !== undefined && json.length * 3 <= max) return redacted;
    const redactedJson = JSON.stringify(redacted) ?? '';
    if (Buffer.byteLength(redactedJson) <= max) return redacted;
    return `${cutUtf8(redactedJson, max)}… (cut, ${Buffer.byteLength(redactedJson)} bytes)`;
  }
}

export function createRequestLogger(): RequestLogger {
  return new RequestLogger();
}

function outcomeOf(reply: JsonRpcMessage): { status: ActivityStatus; error?: string } {
  if (reply.error) {
    const reason = (reply.error.data as { reason?: unknown } | undefined)?.reason;
    const status = typeof reason === 'string' && BLOCKED_REASONS.has(reason) ? 'blocked' : 'error';
    return { status, error: String(reply.error.message).slice(0, MAX_ERROR_CHARS) };
  }
  const result = reply.result as { isError?: unknown; content?: unknown } | undefined;
  if (result?.isError === true) {
    const first = Array.isArray(result.content)
      ? (result.content[0] as { text?: unknown } | undefined)
      : undefined;
    const text = typeof first?.text === 'string' ? first.text : 'the tool reported an error';
    return { status: 'error', error: text.slice(0, MAX_ERROR_CHARS) };
  }
  return { status: 'ok' };
}

/** The bytes of `{"jsonrpc":"2.0","id":ID,"method":"M"}`, plus `,"params":` when there are params. */
function envelopeBytes(request: RequestMessage): number {
  const id =
    typeof request.id === 'number'
      ? String(request.id).length
      : Buffer.byteLength(JSON.stringify(request.id));
  const method = Buffer.byteLength(JSON.stringify(request.method));
  return 33 + id + method + (request.params === undefined ? 0 : 10);
}

function byteLength(message: unknown): number {
  return Buffer.byteLength(JSON.stringify(message) ?? '');
}

/** The first `max` bytes of `text`, never ending inside a character. */
function cutUtf8(text: string, max: number): string {
  const cut = Buffer.from(text, 'utf8').subarray(0, max).toString('utf8');
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}

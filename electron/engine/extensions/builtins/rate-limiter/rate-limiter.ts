import { z } from 'zod';
import { engineError } from '../../../../shared/errors.js';
import type {
  CallInfo,
  Extension,
  ExtensionContext,
  JsonObject,
  RequestMessage,
  RequestOutcome,
} from '../../extension.js';
import { BucketTable, type BucketLimits } from './token-bucket.js';

export const RATE_LIMITER_ID = 'rate-limiter';

const schema = z.object({
  requestsPerMinute: z
    .number()
    .positive()
    .max(1_000_000)
    .default(60)
    .describe('Calls a client session may make per minute to one tool of one server (or one method).')
    .meta({ title: 'Calls per minute' }),
  burst: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(20)
    .describe('Calls allowed at once before the per-minute rate applies.')
    .meta({ title: 'Burst' }),
  perTool: z
    .record(
      z.string().regex(/.__./, { error: 'name each tool as server__tool, e.g. github__create_issue' }),
      z.number().positive().max(1_000_000),
    )
    .default({})
    .describe(
      'Calls per minute for particular tools, overriding the rate above, e.g. {"github__create_issue": 5}. ' +
        'The burst of such a tool is at most its rate.',
    )
    .meta({ title: 'Per-tool rates' }),
  methods: z
    .array(z.string().min(1))
    .default(['tools/call', 'resources/read', 'prompts/get'])
    .describe('The MCP methods that are limited, one per line; other requests always pass.')
    .meta({ title: 'Limited methods' }),
});

export type RateLimiterConfig = z.output<typeof schema>;
export const configSchema = z.toJSONSchema(schema, { io: 'input' }) as JsonObject;

class RateLimiter implements Extension {
  readonly id = RATE_LIMITER_ID;
  readonly name = 'Rate limits';
  readonly version = '1.0.0';
  readonly description =
    'Limits how often each client session may call a tool of a server, so a looping agent cannot flood it.';
  readonly defaultEnabled = false;
  readonly configSchema = configSchema;

  private ctx: ExtensionContext | undefined;
  private config: RateLimiterConfig = schema.parse({});
  private methods = new Set(this.config.methods);
  /** Worked out once per config, not per call. */
  private defaults: BucketLimits = limitsFor(this.config, undefined);
  private perTool = new Map<string, BucketLimits>();
  private readonly buckets = new BucketTable();

  initialize(ctx: ExtensionContext): void {
    this.ctx = ctx;
    this.buckets.clear();
    this.configure(ctx.config);
  }

  /** Buckets are kept: they refill at the new rate and are capped at the new burst from the next call. */
  configure(config: JsonObject): void {
    this.config = schema.parse(config);
    this.methods = new Set(this.config.methods);
    this.defaults = limitsFor(this.config, undefined);
    this.perTool = new Map(
      Object.entries(this.config.perTool).map(([tool, perMinute]) => [
        tool,
        limitsFor(this.config, perMinute),
      ]),
    );
  }

  onRequest(request: RequestMessage, call: CallInfo): RequestOutcome {
    if (!this.ctx || !this.methods.has(call.method)) return request;
    const limits = this.limitsOf(call);
    const target = call.tool !== undefined ? call.tool : call.method;
    const key = `${call.session}\u0000${call.server}\u0000${target}`;
    const taken = this.buckets.take(key, limits, this.ctx.clock.now());
    if (taken.ok) return request;
    const what = call.tool !== undefined ? `tool ${call.tool}` : `method ${call.method}`;
    return {
      error: engineError('RATE_LIMITED', {
        server: call.server,
        detail: `${what} of server ${call.server}: ${limits.perMinute} calls per minute, burst ${limits.burst}`,
        suggestion:
          `Retry in ${Math.ceil(taken.retryAfterMs / 1000)} s, or raise the limit in the ` +
          'Rate limits extension settings.',
        extra: { retryAfterMs: taken.retryAfterMs },
      }),
    };
  }

  private limitsOf(call: CallInfo): BucketLimits {
    if (call.tool === undefined || this.perTool.size === 0) return this.defaults;
    return this.perTool.get(`${call.server}__${call.tool}`) ?? this.defaults;
  }
}

/** A tool's own per-minute limit keeps the burst no larger than that limit. */
function limitsFor(config: RateLimiterConfig, perMinute: number | undefined): BucketLimits {
  if (perMinute === undefined) return { perMinute: config.requestsPerMinute, burst: config.burst };
  return { perMinute, burst: Math.max(1, Math.min(config.burst, Math.floor(perMinute))) };
}

export function createRateLimiter(): Extension {
  return new RateLimiter();
}

import type { Extension } from '../extension.js';
import { createCircuitBreaker } from './circuit-breaker/circuit-breaker.js';
import { createLargeResponseHandler } from './large-response-handler/large-response-handler.js';
import { createQuarantine } from './quarantine/quarantine.js';
import { createRateLimiter } from './rate-limiter/rate-limiter.js';
import { createRequestLogger } from './request-logger/request-logger.js';
import { createToolFilter } from './tool-filter/tool-filter.js';
import { createToolSearch } from './tool-search/tool-search.js';

/**
 * Switchboard's own extensions, fresh for each engine, in the order their hooks run: the logger
 * first (it sees every call, also those refused later, and the server's reply before it is
 * shortened), then the guards that refuse calls, then what shapes replies and lists.
 */
export function builtinExtensions(): Extension[] {
  return [
    createRequestLogger(),
    createCircuitBreaker(),
    createRateLimiter(),
    createToolFilter(),
    createQuarantine(),
    createLargeResponseHandler(),
    createToolSearch(),
  ];
}

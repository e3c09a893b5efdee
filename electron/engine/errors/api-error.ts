import type { ApiErrorBody } from '../../shared/api.js';
import type { ConfigProblem } from '../../shared/config-errors.js';

/** An answer other than success: the HTTP status and a message that says what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: readonly ConfigProblem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body(): ApiErrorBody {
    return { error: this.message, ...(this.problems ? { problems: [...this.problems] } : {}) };
  }
}

export function unknownServer(name: string): ApiError {
  return new ApiError(
    404,
    `no server named "${name}"; \`switchboard status\` (or GET /api/v1/servers) lists the configured servers`,
  );
}

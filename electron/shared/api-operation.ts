import type { z } from 'zod';
import type { HttpBinding } from './api-http.js';

/**
 * One entry of the API table (electron/shared/api.ts): an operation's zod input and output, its HTTP
 * binding and whether it needs the bearer token. The table's areas (api-*-operations.ts) declare theirs
 * with `operation`, which keeps each entry's schema types.
 *
 * The renderer imports this file: it must import nothing from node or from electron/engine.
 */
export interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly http: HttpBinding;
  readonly auth: boolean;
}

export const operation = <I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>) => spec;

/**
 * Hostile JSON-RPC frames for the fuzz suite, each with the answer the engine owes for it. The same
 * corpus goes over stdio (`run`), the local socket (`connect`) and HTTP, one frame per line or body.
 */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const MESSAGE_TOO_LARGE = -32067;
/** The cap every surface applies by default (README: 16 MiB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** "e.g. 100k `[`": deep enough to overflow any recursive parser or serializer. */
export const DEPTH = 100_000;

/** An error with this code; any reply to this id (result or error); nothing at all. */
export type Expect = { code: number } | 'reply' | 'none';

export interface Frame {
  kind: string;
  /** Without the trailing newline. */
  bytes: Buffer;
  /** The answer must carry this id. */
  id?: number;
  /** Over a line-delimited stream (stdio, socket). */
  expect: Expect;
  /** Over HTTP, when it differs (a blank body is still a body; notifications get 202). */
  http?: Expect | 'accepted';
}

const text = (s: string) => Buffer.from(s, 'utf8');
const json = (value: unknown) => text(JSON.stringify(value));
const request = (id: number, method = 'ping', params?: unknown) =>
  json({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

type Make = (id: number, seed: number) => Frame;

/** The cheap frames, cycled through to reach a count; ids are unique and far from a client's own. */
const CHEAP: Make[] = [
  (id, seed) => {
    const whole = request(id, 'tools/call', { name: 'echo', arguments: { text: 'cut short' } });
    return {
      kind: 'truncated',
      bytes: whole.subarray(0, 1 + (seed % (whole.length - 1))),
      expect: { code: PARSE_ERROR },
    };
  },
  (_id, seed) => ({ kind: 'garbage', bytes: garbage(seed, 1 + (seed % 300)), expect: { code: PARSE_ERROR } }),
  (id) => ({
    kind: 'bad-utf8-outside',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), request(id)]),
    expect: { code: PARSE_ERROR },
  }),
  // Invalid UTF-8 inside a string decodes to U+FFFD: still a valid request, so it is answered.
  (id) => ({
    kind: 'bad-utf8-string',
    bytes: Buffer.concat([
      text(`{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"s":"`),
      Buffer.from([0xc3, 0x28, 0xc0, 0xaf, 0xff]),
      text('"}}'),
    ]),
    id,
    expect: 'reply',
  }),
  (id) => ({
    kind: 'nul-byte',
    bytes: Buffer.concat([request(id), Buffer.from([0])]),
    expect: { code: PARSE_ERROR },
  }),
  () => ({
    kind: 'id-object',
    bytes: json({ jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }),
    expect: { code: INVALID_REQUEST },
  }),
  () => ({
    kind: 'id-array',
    bytes: json({ jsonrpc: '2.0', id: [1], method: 'ping' }),
    expect: { code: INVALID_REQUEST },
  }),
  () => ({
    kind: 'id-bool',
    bytes: json({ jsonrpc: '2.0', id: true, method: 'ping' }),
    expect: { code: INVALID_REQUEST },
  }),
  (id) => ({
    kind: 'method-number',
    bytes: json({ jsonrpc: '2.0', id, method: 42 }),
    id,
    expect: { code: INVALID_REQUEST },
  }),
  (id) => ({
    kind: 'method-null',
    bytes: json({ jsonrpc: '2.0', id, method: null }),
    id,
    expect: { code: INVALID_REQUEST },
  }),
  // JSON-RPC says params is structured; a server given a string drops the request silently, so the
  // engine refuses it itself.
  (id) => ({
    kind: 'params-string',
    bytes: json({ jsonrpc: '2.0', id, method: 'tools/call', params: 'x' }),
    id,
    expect: { code: INVALID_REQUEST },
  }),
  (id) => ({
    kind: 'batch',
    bytes: text(`[${request(id)},${request(id)}]`),
    expect: { code: INVALID_REQUEST },
  }),
  () => ({ kind: 'empty-batch', bytes: text('[]'), expect: { code: INVALID_REQUEST } }),
  () => ({ kind: 'null', bytes: text('null'), expect: { code: INVALID_REQUEST } }),
  (_id, seed) => ({
    kind: 'scalar',
    bytes: text(['42', '"ping"', 'true', '-0', '1e999'][seed % 5]!),
    expect: { code: INVALID_REQUEST },
  }),
  () => ({ kind: 'empty-object', bytes: text('{}'), expect: { code: INVALID_REQUEST } }),
  (id) => ({
    kind: 'wrong-version',
    bytes: json({ jsonrpc: '1.0', id, method: 'ping' }),
    id,
    expect: { code: INVALID_REQUEST },
  }),
  (id) => ({
    kind: 'no-version',
    bytes: json({ id, method: 'ping' }),
    id,
    expect: { code: INVALID_REQUEST },
  }),
  // Duplicate keys: the last id (an object) wins.
  (id) => ({
    kind: 'duplicate-keys',
    bytes: text(`{"jsonrpc":"2.0","id":${id},"method":"ping","id":{"x":1}}`),
    expect: { code: INVALID_REQUEST },
  }),
  // Responses to nothing and notifications are dropped; over HTTP they are accepted (202).
  (id) => ({
    kind: 'orphan-response',
    bytes: json({ jsonrpc: '2.0', id, result: {} }),
    expect: 'none',
    http: 'accepted',
  }),
  () => ({
    kind: 'notification',
    bytes: json({ jsonrpc: '2.0', method: 'notifications/hostile', params: { x: 1 } }),
    expect: 'none',
    http: 'accepted',
  }),
  // A blank line is skipped on a stream; a blank body is not JSON.
  () => ({ kind: 'blank', bytes: text(' \t '), expect: 'none', http: { code: PARSE_ERROR } }),
];

/** `count` cheap frames, ids from `firstId`. */
export function* cheapFrames(count: number, firstId: number): Generator<Frame> {
  for (let i = 0; i < count; i++) yield CHEAP[i % CHEAP.length]!(firstId + i, i * 2654435761);
}

/** The heavy frames, once each: deep nesting both ways, and deep params a tool call carries. */
export function deepFrames(firstId: number, tool: string): Frame[] {
  const deepArguments = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  return [
    { kind: 'deep-open', bytes: text('['.repeat(DEPTH)), expect: { code: PARSE_ERROR } },
    {
      kind: 'deep-closed',
      bytes: text('['.repeat(DEPTH) + ']'.repeat(DEPTH)),
      expect: { code: INVALID_REQUEST },
    },
    {
      kind: 'deep-params',
      bytes: text(
        `{"jsonrpc":"2.0","id":${firstId},"method":"tools/call","params":{"name":"${tool}","arguments":${deepArguments}}}`,
      ),
      id: firstId,
      expect: 'reply',
    },
    {
      kind: 'deep-params-string',
      bytes: text(
        `{"jsonrpc":"2.0","id":${firstId + 1},"method":"tools/call","params":{"name":"${tool}","arguments":{"text":"${'['.repeat(DEPTH)}"}}}`,
      ),
      id: firstId + 1,
      expect: 'reply',
    },
  ];
}

/** A tool call one byte over the cap, with its id up front (so the error can name it). */
export function oversizedFrame(id: number, tool: string): Frame {
  const head = `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${tool}","arguments":{"text":"`;
  const tail = '"}}}';
  const fill = MAX_MESSAGE_BYTES + 1 - head.length - tail.length;
  return {
    kind: 'oversized',
    bytes: Buffer.concat([text(head), Buffer.alloc(fill, 0x78), text(tail)]),
    id,
    expect: { code: MESSAGE_TOO_LARGE },
  };
}

/** Printable noise that never starts a JSON value (`#`), without newlines. */
function garbage(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  out[0] = 0x23;
  let x = seed >>> 0 || 1;
  for (let i = 1; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const byte = (x >>> 0) % 256;
    out[i] = byte === 0x0a ? 0x20 : byte;
  }
  return out;
}

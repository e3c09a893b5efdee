import { describe, expect, it } from 'vitest';
import {
  classify,
  idKey,
  parseLine,
  looksLikeResponseHead,
  readEnvelopeId,
  readIdLoosely,
} from './messages.js';
import { StandardErrorCodes } from '../../shared/errors.js';

describe('parseLine', () => {
  it('classifies requests, notifications and responses', () => {
    expect(parseLine('{"jsonrpc":"2.0","id":1,"method":"tools/list"}')).toMatchObject({
      kind: 'request',
      id: 1,
    });
    expect(parseLine('{"jsonrpc":"2.0","method":"notifications/initialized"}')).toMatchObject({
      kind: 'notification',
    });
    expect(parseLine('{"jsonrpc":"2.0","id":"a","result":{}}')).toMatchObject({ kind: 'response', id: 'a' });
    expect(parseLine('{"jsonrpc":"2.0","id":2,"error":{"code":1,"message":"x"}}')).toMatchObject({
      kind: 'response',
    });
  });

  it('answers malformed JSON with a parse error that carries the id when it can be read', () => {
    const result = parseLine('{"jsonrpc":"2.0","id":7,"method":"tools/call",');
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.id).toBe(7);
    expect(result.error.code).toBe(StandardErrorCodes.PARSE_ERROR);
    expect(result.error.data).toMatchObject({ reason: 'parse_error' });
  });

  it('uses a null id when none can be read', () => {
    const result = parseLine('not json at all');
    expect(result).toMatchObject({ kind: 'invalid', id: null });
  });

  it('rejects envelopes that are not JSON-RPC 2.0', () => {
    const cases = [
      '[]',
      '5',
      '"x"',
      '{"id":1,"method":"x"}',
      '{"jsonrpc":"2.0","id":{},"method":"x"}',
      '{"jsonrpc":"2.0","id":3}',
      '{"jsonrpc":"2.0","method":5,"id":4}',
      '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":"x"}',
      '{"jsonrpc":"2.0","id":6,"method":"ping","params":7}',
      '{"jsonrpc":"2.0","method":"notifications/initialized","params":true}',
    ];
    for (const text of cases) {
      const result = parseLine(text);
      expect(result.kind, text).toBe('invalid');
      if (result.kind === 'invalid') expect(result.error.code).toBe(StandardErrorCodes.INVALID_REQUEST);
    }
    expect(parseLine('{"id":1,"method":"x"}')).toMatchObject({ id: 1 });
    expect(parseLine('{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}')).toMatchObject({ id: 5 });
    // Structured params, or none (null counts as none: some clients write it), pass.
    for (const params of ['{}', '[1]', 'null'])
      expect(parseLine(`{"jsonrpc":"2.0","id":8,"method":"x","params":${params}}`).kind).toBe('request');
    expect(classify([{ jsonrpc: '2.0' }])).toMatchObject({ kind: 'invalid', id: null });
  });
});

describe('readIdLoosely', () => {
  it('reads numeric and string ids', () => {
    expect(readIdLoosely('{"id": -12, "x":')).toBe(-12);
    expect(readIdLoosely('{"id":"ab\\"c"')).toBe('ab"c');
    expect(readIdLoosely('{"idx":1}')).toBeNull();
  });
});

describe('idKey', () => {
  it('keeps numeric and string ids apart', () => {
    expect(idKey(1)).not.toBe(idKey('1'));
  });
});

describe('readEnvelopeId', () => {
  it('reads an id that opens or closes the envelope', () => {
    expect(readEnvelopeId('{"jsonrpc":"2.0","id":904,"method":"tools/call","params":{"x', '')).toBe(904);
    expect(readEnvelopeId('{"id":"a","jsonrpc":"2.0"', '')).toBe('a');
    expect(readEnvelopeId('{"result":{"content":[{"text":"xxx', 'xxx"}]},"jsonrpc":"2.0","id":5}')).toBe(5);
    expect(readEnvelopeId('{"result":{', 'x"}]},"id":"q"}\n')).toBe('q');
  });

  it('never takes a nested id for the envelope id', () => {
    expect(
      readEnvelopeId('{"result":{"structuredContent":{"id":3,"x":"', '"}},"id":8,"extra":1}'),
    ).toBeNull();
    expect(readEnvelopeId('{"jsonrpc":"2.0","method":"x","params":{"id":1', 'xx"}}}')).toBeNull();
    expect(readEnvelopeId('{"result":{"a":"', 'text with \\"id\\":4}"}}')).toBeNull();
  });
});

describe('looksLikeResponseHead', () => {
  it('recognises the start of a reply, whatever the member order', () => {
    expect(looksLikeResponseHead('{"result":{"content":[{"type":"text","text":"xx')).toBe(true);
    expect(looksLikeResponseHead('{"jsonrpc":"2.0","id":"r-1","result":{"t')).toBe(true);
    expect(looksLikeResponseHead('{"jsonrpc":"2.0","id":4,"error":{"code":1')).toBe(true);
  });

  it('does not take requests or notifications for replies', () => {
    expect(
      looksLikeResponseHead('{"jsonrpc":"2.0","id":3,"method":"sampling/createMessage","params":{"t'),
    ).toBe(false);
    expect(
      looksLikeResponseHead('{"jsonrpc":"2.0","method":"notifications/message","params":{"result":1'),
    ).toBe(false);
  });
});

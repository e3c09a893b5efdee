import { describe, expect, it } from 'vitest';
import { fitsWithin, replyText } from './shortened-reply.js';

describe('fitsWithin', () => {
  it('says yes only when the JSON surely fits, and never for a value that does not', () => {
    const small = { content: [{ type: 'text', text: 'hello' }] };
    expect(fitsWithin(small, 1024)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(small))).toBeLessThanOrEqual(1024);
    for (const text of ['x'.repeat(2000), '\u0000'.repeat(200), 'é'.repeat(400), '"'.repeat(600)]) {
      const value = { content: [{ type: 'text', text }] };
      // Sound: a yes is never wrong, whatever the characters cost in JSON.
      if (fitsWithin(value, 1024)) expect(Buffer.byteLength(JSON.stringify(value))).toBeLessThanOrEqual(1024);
    }
    expect(fitsWithin({ content: [{ type: 'text', text: 'x'.repeat(2000) }] }, 1024)).toBe(false);
    expect(
      fitsWithin(
        Array.from({ length: 20_000 }, () => 1),
        10_000_000,
      ),
    ).toBe(false);
  });
});

describe('replyText', () => {
  it('joins text items, renders resources and prompt messages, falls back to JSON', () => {
    expect(
      replyText('tools/call', {
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toBe('a\nb');
    expect(replyText('tools/call', { content: [], structuredContent: { k: 1 } })).toBe('{\n  "k": 1\n}');
    expect(
      replyText('resources/read', {
        contents: [
          { uri: 'u', text: 't' },
          { uri: 'v', blob: 'QQ==' },
        ],
      }),
    ).toBe('t\n{"uri":"v","blob":"QQ=="}');
    expect(
      replyText('prompts/get', { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }] }),
    ).toBe('user: hi');
    expect(replyText('tools/call', { odd: true })).toBe('{"odd":true}');
  });
});

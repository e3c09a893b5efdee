import { describe, expect, it } from 'vitest';
import { SecretMask } from './secret-mask.js';

describe('SecretMask', () => {
  it('masks every known value, and credential-looking text it was never told', () => {
    const mask = new SecretMask();
    mask.remember('hunter2-but-longer');
    mask.remember('1234'); // too short to mask: it would blank out ordinary numbers
    expect(mask.mask('login with hunter2-but-longer, then hunter2-but-longer again; pin 1234')).toBe(
      'login with [redacted], then [redacted] again; pin 1234',
    );
    expect(mask.mask('export OPENAI_KEY=sk-abcdefghijklmnopqrstuvwx')).not.toContain('sk-abcdef');
    expect(mask.mask('nothing to hide here')).toBe('nothing to hide here');
  });

  it('keeps at most 1000 values, dropping the oldest', () => {
    const mask = new SecretMask();
    for (let i = 0; i < 1001; i++) mask.remember(`value-number-${i}`);
    expect(mask.mask('value-number-0!')).toBe('value-number-0!');
    expect(mask.mask('value-number-1000!')).toBe('[redacted]!');
  });

  it('masks every string inside an event, and returns the same object when nothing is hidden', () => {
    const mask = new SecretMask();
    mask.remember('tok_live_abcdef123456');
    const event = {
      type: 'server.restart',
      server: 'notes',
      cause: { kind: 'health', detail: 'ping said tok_live_abcdef123456' },
      error: 'exit code 1; last stderr: key=tok_live_abcdef123456',
      tags: ['plain', 'tok_live_abcdef123456'],
      durationMs: 12,
    };
    const masked = mask.maskDeep(event);
    expect(masked).toEqual({
      ...event,
      cause: { kind: 'health', detail: 'ping said [redacted]' },
      error: 'exit code 1; last stderr: key=[redacted]',
      tags: ['plain', '[redacted]'],
    });
    expect(event.error).toContain('tok_live_abcdef123456'); // a copy: the original is untouched
    const clean = { type: 'server.state', reason: 'started', at: 1 };
    expect(mask.maskDeep(clean)).toBe(clean);
    // Paths reach the window whole, even a temp folder whose random name looks like a key.
    const path = { kind: 'file', paths: ['/work/.tmp-test/e2e-Qx7Lm2Zp9Rt4Kw8Vb3Nc6/watched-version.txt'] };
    expect(mask.maskDeep(path)).toBe(path);
  });
});

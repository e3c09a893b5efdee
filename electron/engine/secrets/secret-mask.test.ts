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
});

import { describe, expect, it } from 'vitest';
import { checkRequest } from './request-guard.js';

const port = 7420;

describe('checkRequest (DNS-rebinding defence)', () => {
  it('accepts loopback hosts on our port, with or without a same-origin Origin', () => {
    for (const host of ['127.0.0.1:7420', 'localhost:7420', '[::1]:7420', 'LOCALHOST:7420']) {
      expect(checkRequest({ host }, { port })).toEqual({ ok: true });
    }
    expect(checkRequest({ host: '127.0.0.1:7420', origin: 'http://localhost:7420' }, { port })).toEqual({
      ok: true,
    });
  });

  it('refuses a rebinding attack: a foreign Host, or a foreign or null Origin', () => {
    expect(checkRequest({ host: 'evil.example:7420' }, { port })).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ host: '127.0.0.1:9999' }, { port })).toMatchObject({ ok: false });
    expect(checkRequest({}, { port })).toMatchObject({ ok: false });
    expect(checkRequest({ host: '127.0.0.1:7420', origin: 'https://evil.example' }, { port })).toMatchObject({
      ok: false,
      reason: 'Origin "https://evil.example" may not use this engine',
    });
    expect(checkRequest({ host: '127.0.0.1:7420', origin: 'null' }, { port })).toMatchObject({ ok: false });
  });

  it('accepts hosts and origins the person allowed', () => {
    const options = {
      port,
      allowedHosts: ['switchboard:7420'],
      allowedOrigins: ['https://dash.example.com/'],
    };
    expect(checkRequest({ host: 'switchboard:7420', origin: 'https://dash.example.com' }, options)).toEqual({
      ok: true,
    });
  });
});

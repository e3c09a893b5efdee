import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events.js';
import { createNoticeThrottle, EXTENSIONS_ROUTE, extensionNotification } from './extension-notice.js';

const notice = (extension: string, message: string): EngineEvent => ({
  type: 'extension.notice',
  extension,
  message,
  at: 1,
});

describe('extensionNotification', () => {
  it('names the extension, gives its message as a sentence, and opens the Extensions page', () => {
    expect(extensionNotification(notice('rate-limits', 'disabled after 5 failures in a row'))).toEqual({
      title: 'Switchboard extension “rate-limits”',
      body: 'Disabled after 5 failures in a row.',
      route: '#/extensions',
    });
    expect(EXTENSIONS_ROUTE).toBe('#/extensions');
  });

  it('keeps a message that ends a sentence, and shortens a long one to a line or two', () => {
    expect(extensionNotification(notice('x', 'Circuit open for notes!'))?.body).toBe(
      'Circuit open for notes!',
    );
    const long = extensionNotification(notice('x', `boom\n${'y'.repeat(500)}`));
    expect(long?.body.length).toBeLessThanOrEqual(160);
    expect(long?.body).toMatch(/^Boom y+…$/);
    expect(extensionNotification(notice('x'.repeat(200), 'hi'))?.title.length).toBeLessThan(100);
  });

  it('still says where to look when the message is empty', () => {
    expect(extensionNotification(notice('x', '  '))?.body).toBe(
      'It has something to say; open the Extensions page to see it.',
    );
  });

  it('gives nothing for other events', () => {
    const others: EngineEvent[] = [
      { type: 'extension.changed', extension: 'x', enabled: false, problem: 'failed', at: 1 },
      { type: 'quarantine.pending', count: 2, at: 1 },
      { type: 'server.state', server: 'a', from: 'ready', to: 'failed', reason: 'r', at: 1 },
    ];
    for (const event of others) expect(extensionNotification(event)).toBeUndefined();
  });
});

describe('createNoticeThrottle', () => {
  it('lets one notice per key through per window', () => {
    const throttle = createNoticeThrottle(60_000);
    expect(throttle.allow('a', 0)).toBe(true);
    expect(throttle.allow('a', 59_999)).toBe(false);
    expect(throttle.allow('b', 1000)).toBe(true);
    expect(throttle.allow('a', 60_000)).toBe(true);
    expect(throttle.allow('a', 60_001)).toBe(false);
  });

  it('forgets the oldest keys beyond its bound, so it cannot grow without end', () => {
    const throttle = createNoticeThrottle(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) expect(throttle.allow(key, 0)).toBe(true);
    expect(throttle.allow('a', 1)).toBe(true); // forgotten, so let through again
    expect(throttle.allow('d', 1)).toBe(false);
  });
});

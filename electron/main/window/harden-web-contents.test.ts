import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  hardenSession,
  hardenWebContents,
  type HardenableContents,
  type HardenableSession,
} from './harden-web-contents.js';

/** A WebContents stand-in: a real emitter plus the window-open handler it was given. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
}

function setUp() {
  const contents = new FakeContents();
  const opened: string[] = [];
  hardenWebContents(contents, { openExternal: (url) => opened.push(url) });
  /** Emits like Electron does (target on the event and as the deprecated 2nd argument); true if prevented. */
  const emit = (name: string, url: string, { onEvent = true } = {}): boolean => {
    let prevented = false;
    const event = { ...(onEvent ? { url } : {}), preventDefault: () => (prevented = true) };
    contents.emit(name, event, url, false, true);
    return prevented;
  };
  return { contents, opened, emit };
}

describe('hardenWebContents', () => {
  it('lets the page move between its own routes', () => {
    const { emit, opened } = setUp();
    expect(emit('will-navigate', 'app://switchboard/index.html#/logs')).toBe(false);
    expect(emit('will-redirect', 'app://switchboard/index.html')).toBe(false);
    expect(emit('will-frame-navigate', 'app://switchboard/index.html')).toBe(false);
    expect(opened).toEqual([]);
  });

  it('keeps web links out of the window and opens them in the browser', () => {
    const { emit, opened } = setUp();
    expect(emit('will-navigate', 'https://modelcontextprotocol.io/docs')).toBe(true);
    expect(emit('will-redirect', 'http://example.com')).toBe(true);
    expect(opened).toEqual(['https://modelcontextprotocol.io/docs', 'http://example.com/']);
  });

  it('reads the target from the 2nd argument when the event does not carry it', () => {
    const { emit, opened } = setUp();
    expect(emit('will-navigate', 'https://example.com/x', { onEvent: false })).toBe(true);
    expect(emit('will-navigate', 'app://switchboard/index.html', { onEvent: false })).toBe(false);
    expect(opened).toEqual(['https://example.com/x']);
  });

  it('blocks every other scheme without opening anything', () => {
    const { emit, opened } = setUp();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://switchboard.evil/', 'data:,x']) {
      expect(emit('will-navigate', url), url).toBe(true);
      expect(emit('will-redirect', url), url).toBe(true);
    }
    expect(opened).toEqual([]);
  });

  it('keeps subframes in the app without opening browser tabs for them', () => {
    const { emit, opened } = setUp();
    expect(emit('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(emit('will-frame-navigate', 'file:///etc/passwd')).toBe(true);
    expect(opened).toEqual([]);
  });

  it('denies every new window, handing web links to the browser', () => {
    const { contents, opened } = setUp();
    const open = contents.openHandler;
    expect(open).toBeDefined();
    expect(open!({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(open!({ url: 'app://switchboard/index.html' })).toEqual({ action: 'deny' });
    expect(open!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/']);
  });

  it('refuses to attach a <webview>', () => {
    const { emit } = setUp();
    expect(emit('will-attach-webview', 'app://switchboard/index.html')).toBe(true);
  });

  it("fits Electron's WebContents", () => {
    expectTypeOf<WebContents>().toExtend<HardenableContents>();
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    let request: Parameters<HardenableSession['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<HardenableSession['setPermissionCheckHandler']>[0] = null;
    hardenSession({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    expect(request).not.toBeNull();
    expect(check).not.toBeNull();
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const answers: boolean[] = [];
      request!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(check!({}, permission, 'app://switchboard', {}), permission).toBe(false);
    }
  });

  it("fits Electron's Session", () => {
    expectTypeOf<Session>().toExtend<HardenableSession>();
  });
});

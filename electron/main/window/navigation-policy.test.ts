import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  externalUrl,
  isAppUrl,
  isTrustedSender,
  navigationDecision,
} from './navigation-policy.js';

describe('isAppUrl', () => {
  it('accepts the entry page and its hash routes', () => {
    expect(APP_ENTRY_URL).toBe('app://switchboard/index.html');
    expect(APP_ORIGIN).toBe('app://switchboard');
    for (const url of [
      APP_ENTRY_URL,
      `${APP_ENTRY_URL}#/servers/echo`,
      'app://switchboard/',
      'app://switchboard',
      'app://switchboard/assets/index-abc.js?x=1',
      'APP://SWITCHBOARD/index.html',
    ]) {
      expect(isAppUrl(url), url).toBe(true);
    }
  });

  it('refuses look-alike origins, credentials, ports and other schemes', () => {
    for (const url of [
      'app://switchboard.evil/index.html',
      'app://evil.switchboard/index.html',
      'app://x@switchboard/index.html',
      'app://switchboard:pw@evil/index.html',
      'app://user:pw@switchboard/',
      'app://switchboard:8080/index.html',
      'app:switchboard/index.html',
      'app:///switchboard/index.html',
      'apps://switchboard/index.html',
      'http://switchboard/index.html',
      'file:///switchboard/index.html',
      'javascript:alert(1)//app://switchboard',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('externalUrl', () => {
  it('normalizes web links for the browser', () => {
    expect(externalUrl('https://example.com')).toBe('https://example.com/');
    expect(externalUrl('HTTP://Example.COM/a b')).toBe('http://example.com/a%20b');
    expect(externalUrl('https://github.com/modelcontextprotocol#readme')).toBe(
      'https://github.com/modelcontextprotocol#readme',
    );
  });

  it('refuses every scheme that could run or read something locally', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'app://switchboard/index.html',
      'smb://host/share',
      'vscode://file/x',
      'ms-settings:',
      'mailto:a@b.c',
      '//example.com',
      'not a url',
    ]) {
      expect(externalUrl(url), url).toBeUndefined();
    }
  });
});

describe('navigationDecision', () => {
  it('allows the app, sends the web to the browser, denies the rest', () => {
    expect(navigationDecision(`${APP_ENTRY_URL}#/logs`)).toBe('allow');
    expect(navigationDecision('https://modelcontextprotocol.io/')).toBe('open-external');
    expect(navigationDecision('http://127.0.0.1:7777/')).toBe('open-external');
    expect(navigationDecision('file:///home/me/.ssh/id_ed25519')).toBe('deny');
    expect(navigationDecision('app://switchboard.evil/')).toBe('deny');
    expect(navigationDecision('javascript:void(0)')).toBe('deny');
  });
});

describe('isTrustedSender', () => {
  it('trusts only the app page in the top frame', () => {
    expect(isTrustedSender({ url: `${APP_ENTRY_URL}#/`, parent: null })).toBe(true);
  });

  it('refuses subframes, foreign pages and missing frames', () => {
    const top = { url: APP_ENTRY_URL, parent: null };
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: top })).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: undefined })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://switchboard.evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { browserCommand } from './open-in-browser.js';

describe('the platform browser opener', () => {
  const url = 'https://as.example.com/authorize?a=1&b=2';

  it('uses $BROWSER when set, else open, xdg-open or start', () => {
    expect(browserCommand('linux', url, 'firefox')).toEqual({ command: 'firefox', args: [url] });
    expect(browserCommand('darwin', url, undefined)).toEqual({ command: 'open', args: [url] });
    expect(browserCommand('linux', url, undefined)).toEqual({ command: 'xdg-open', args: [url] });
    // cmd would split the URL at & without the escapes; the empty title keeps start from eating it.
    expect(browserCommand('win32', url, undefined)).toEqual({
      command: 'cmd',
      args: ['/c', 'start', '""', 'https://as.example.com/authorize?a=1^&b=2'],
    });
  });
});

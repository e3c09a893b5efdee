import { describe, expect, it } from 'vitest';
import { shellLine, shellWord } from './shell-words.js';

describe('shellWord', () => {
  it('leaves plain words alone and single-quotes the rest, quotes inside included', () => {
    expect(shellWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellWord('SWITCHBOARD_HOME=/srv/sb')).toBe('SWITCHBOARD_HOME=/srv/sb');
    expect(shellWord('my notes')).toBe(`'my notes'`);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellLine(['node', 'a b', 'connect', 'x'])).toBe(`node 'a b' connect x`);
  });
});

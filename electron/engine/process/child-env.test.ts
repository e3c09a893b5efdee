import { describe, expect, it } from 'vitest';
import { buildChildEnv } from './child-env.js';

describe('buildChildEnv', () => {
  it('merges overrides over the base and drops undefined values', () => {
    const env = buildChildEnv({ A: '1', B: '2', C: undefined }, { B: 'two', D: '4', A: undefined }, 'linux');
    expect({ ...env }).toEqual({ B: 'two', D: '4' });
  });

  it('is case-sensitive on POSIX', () => {
    expect({ ...buildChildEnv({ Path: '/a' }, { PATH: '/b' }, 'darwin') }).toEqual({
      Path: '/a',
      PATH: '/b',
    });
  });

  it('on Windows an override replaces every spelling of the name', () => {
    const env = buildChildEnv({ Path: 'C:\\a', path: 'C:\\x', Other: '1' }, { PATH: 'C:\\b' }, 'win32');
    expect({ ...env }).toEqual({ Other: '1', PATH: 'C:\\b' });
    expect({ ...buildChildEnv({ Path: 'C:\\a' }, { PATH: undefined }, 'win32') }).toEqual({});
  });

  it('treats "__proto__" as a plain variable', () => {
    const env = buildChildEnv({}, JSON.parse('{"__proto__":"x"}') as Record<string, string>, 'linux');
    expect(Object.keys(env)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(env)).toBeNull();
  });
});

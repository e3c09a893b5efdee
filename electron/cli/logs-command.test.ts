import { describe, expect, it } from 'vitest';
import { parseLogsArgs } from './logs-command.js';

describe('switchboard logs arguments', () => {
  it('reads the server, -n and -f in any order', () => {
    expect(parseLogsArgs(['notes'])).toEqual({ server: 'notes', lines: 100, follow: false, help: false });
    expect(parseLogsArgs(['-f', 'notes', '-n', '20'])).toMatchObject({
      server: 'notes',
      lines: 20,
      follow: true,
    });
    expect(parseLogsArgs(['--follow', '--lines', '5', 'notes'])).toMatchObject({ lines: 5, follow: true });
    expect(parseLogsArgs(['--help'])).toMatchObject({ help: true });
  });

  it('says what is wrong', () => {
    expect(() => parseLogsArgs([])).toThrow(/usage: switchboard logs NAME \[-f\] \[-n LINES\]/);
    expect(() => parseLogsArgs(['notes', '-x'])).toThrow(/unknown option -x/);
    expect(() => parseLogsArgs(['notes', '-n', 'many'])).toThrow(/-n needs a non-negative number/);
    expect(() => parseLogsArgs(['notes', '-n', '0'])).toThrow(/between 1 and 10000/);
  });
});

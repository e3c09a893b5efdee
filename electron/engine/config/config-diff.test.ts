import { describe, expect, it } from 'vitest';
import { configSchema } from '../../shared/config.js';
import { diffServers } from './config-diff.js';

const servers = (block: unknown) => configSchema.parse({ mcpServers: block }).mcpServers;

describe('diffServers', () => {
  it('restarts only what changed', () => {
    const before = servers({
      a: { command: 'x' },
      b: { command: 'y', args: ['1'] },
      c: { url: 'http://h/mcp' },
    });
    const after = servers({ a: { command: 'x' }, b: { command: 'y', args: ['2'] }, d: { command: 'z' } });
    expect(diffServers(before, after)).toEqual({
      added: ['d'],
      removed: ['c'],
      changed: ['b'],
      unchanged: ['a'],
    });
  });

  it('sees a defaulted field written out as no change', () => {
    expect(
      diffServers(servers({ a: { command: 'x' } }), servers({ a: { command: 'x', args: [], enabled: true } }))
        .changed,
    ).toEqual([]);
  });
});

// The conformance server suite (the 2025-11-25 requirement set) through the gateway: `/mcp/fixture`
// of a real `switchboard serve` supervising the fixture over stdio, `/mcp/remote` with the fixture
// as an http upstream, and `switchboard connect fixture` (used as the stdio server of a second
// engine) must give exactly the results of the fixture served directly, check by check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFORMANCE_FIXTURE,
  compareConformance,
  formatConformance,
  runConformance,
  startGatewayPaths,
  startHttpFixture,
  type ConformanceResults,
  type GatewayPaths,
} from './conformance-harness.js';

let direct: ConformanceResults;
let paths: GatewayPaths;

beforeAll(async () => {
  const fixture = await startHttpFixture();
  try {
    direct = await runConformance(fixture.url, { label: 'direct-reference' });
  } finally {
    await fixture.stop();
  }
  paths = await startGatewayPaths(CONFORMANCE_FIXTURE);
}, 180_000);

afterAll(async () => {
  await paths?.stop();
});

describe('conformance through the gateway', () => {
  it('the direct run is the reference: every scenario passes', async () => {
    expect(
      Object.values(direct).every((s) => s.passed),
      (await formatConformance(direct)).join('\n'),
    ).toBe(true);
  });

  it.each([
    ['/mcp/fixture', 'stdio', 'gateway-http'],
    ['/mcp/remote (the fixture as an http upstream)', 'remote', 'gateway-remote'],
    ['connect fixture (as a second engine’s server)', 'connect', 'gateway-connect'],
  ] as const)(
    '%s gives exactly the direct results',
    async (_name, path, label) => {
      const via = await runConformance(paths[path], { label });
      expect(await compareConformance(direct, via), (await formatConformance(via)).join('\n')).toEqual([]);
    },
    180_000,
  );
});

// The conformance server suite through the gateway, for each protocol revision's requirement set:
// the revision's fixture served directly is the reference (2025-11-25: conformance-server.mjs on
// the SDK 1.x; 2026-07-28: conformance-modern-server.mjs on the SDK v2); `/mcp/fixture` of a real
// `switchboard serve` supervising it over stdio, `/mcp/remote` with it as an http upstream, and
// `switchboard connect fixture` (the stdio server of a second engine) must give exactly the
// direct results, check by check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFORMANCE_FIXTURE,
  MODERN_CONFORMANCE_FIXTURE,
  compareConformance,
  formatConformance,
  runConformance,
  startGatewayPaths,
  startHttpFixture,
  type ConformanceResults,
  type GatewayPaths,
} from './conformance-harness.js';

describe.each([
  ['2025-11-25', CONFORMANCE_FIXTURE],
  ['2026-07-28', MODERN_CONFORMANCE_FIXTURE],
])('conformance (%s requirements) through the gateway', (requirements, fixture) => {
  let direct: ConformanceResults;
  let paths: GatewayPaths;

  beforeAll(async () => {
    const served = await startHttpFixture(fixture);
    try {
      direct = await runConformance(served.url, { label: `direct-${requirements}`, requirements });
    } finally {
      await served.stop();
    }
    paths = await startGatewayPaths(fixture);
  }, 180_000);

  afterAll(async () => {
    await paths?.stop();
  });

  it('the direct run is the reference: every scenario passes', async () => {
    expect(
      Object.values(direct).every((s) => s.passed),
      (await formatConformance(direct)).join('\n'),
    ).toBe(true);
  });

  it.each([
    ['/mcp/fixture (stdio upstream)', 'stdio'],
    ['/mcp/remote (http upstream)', 'remote'],
    ['connect fixture (a second engine’s server)', 'connect'],
  ] as const)(
    '%s gives exactly the direct results',
    async (_name, path) => {
      const via = await runConformance(paths[path], {
        label: `gateway-${path}-${requirements}`,
        requirements,
      });
      expect(await compareConformance(direct, via), (await formatConformance(via)).join('\n')).toEqual([]);
    },
    180_000,
  );
});

// The conformance server suite's 2026-07-28 requirement set through the gateway: the 2026-07-28
// fixture (SDK v2) served directly is the reference; `/mcp/fixture` of a real `switchboard serve`
// supervising it over stdio, `/mcp/remote` with it as an http upstream, and `switchboard connect
// fixture` (the stdio server of a second engine) are compared with it check by check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MODERN_CONFORMANCE_FIXTURE,
  compareConformance,
  formatConformance,
  runConformance,
  startGatewayPaths,
  startHttpFixture,
  type ConformanceResults,
  type GatewayPaths,
} from './conformance-harness.js';

const REQUIREMENTS = '2026-07-28';
let direct: ConformanceResults;
let paths: GatewayPaths;

beforeAll(async () => {
  const fixture = await startHttpFixture(MODERN_CONFORMANCE_FIXTURE);
  try {
    direct = await runConformance(fixture.url, { label: 'modern-direct', requirements: REQUIREMENTS });
  } finally {
    await fixture.stop();
  }
  paths = await startGatewayPaths(MODERN_CONFORMANCE_FIXTURE);
}, 180_000);

afterAll(async () => {
  await paths?.stop();
});

describe('2026-07-28 conformance through the gateway', () => {
  it('the direct run is the reference: every scenario passes', async () => {
    expect(
      Object.values(direct).every((s) => s.passed),
      (await formatConformance(direct)).join('\n'),
    ).toBe(true);
  });

  it.each([
    ['/mcp/fixture (stdio upstream)', 'stdio', 'modern-gateway-http'],
    ['/mcp/remote (http upstream)', 'remote', 'modern-gateway-remote'],
    ['connect fixture (a second engine’s server)', 'connect', 'modern-gateway-connect'],
  ] as const)(
    '%s gives exactly the direct results',
    async (_name, path, label) => {
      const via = await runConformance(paths[path], { label, requirements: REQUIREMENTS });
      expect(await compareConformance(direct, via), (await formatConformance(via)).join('\n')).toEqual([]);
    },
    180_000,
  );
});

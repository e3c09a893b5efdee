// The conformance server suite's 2026-07-28 requirement set through the gateway: the 2026-07-28
// fixture (SDK v2) served directly is the reference; `/mcp/fixture` of a real `switchboard serve`
// supervising it over stdio, `/mcp/remote` with it as an http upstream, and `switchboard connect
// fixture` (the stdio server of a second engine) are compared with it check by check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { SWITCHBOARD } from '../integration/run-harness.js';
import {
  MODERN_CONFORMANCE_FIXTURE,
  compareConformance,
  formatConformance,
  runConformance,
  startHttpFixture,
  type ConformanceResults,
  type HttpFixture,
} from './conformance-harness.js';

const REQUIREMENTS = '2026-07-28';
let direct: ConformanceResults;
let engine: ServedEngine;
let chained: ServedEngine;
let upstreamFixture: HttpFixture;

beforeAll(async () => {
  const fixture = await startHttpFixture(MODERN_CONFORMANCE_FIXTURE);
  try {
    direct = await runConformance(fixture.url, { label: 'modern-direct', requirements: REQUIREMENTS });
  } finally {
    await fixture.stop();
  }
  upstreamFixture = await startHttpFixture(MODERN_CONFORMANCE_FIXTURE);
  engine = await startServe({
    fixture: { command: process.execPath, args: [MODERN_CONFORMANCE_FIXTURE] },
    remote: { type: 'http', url: upstreamFixture.url },
  });
  await untilServers(
    engine,
    (s) => ['fixture', 'remote'].every((name) => s.some((x) => x.name === name && x.state === 'ready')),
    'fixture ready',
  );
  chained = await startServe({
    viaConnect: {
      command: process.execPath,
      args: [SWITCHBOARD, 'connect', 'fixture'],
      env: { SWITCHBOARD_HOME: engine.home },
    },
  });
  await untilServers(
    chained,
    (s) => s.some((x) => x.name === 'viaConnect' && x.state === 'ready'),
    'bridge ready',
  );
}, 180_000);

afterAll(async () => {
  await chained?.stop();
  await engine?.stop();
  await upstreamFixture?.stop();
});

describe('2026-07-28 conformance through the gateway', () => {
  it('the direct run is the reference: every scenario passes', async () => {
    expect(
      Object.values(direct).every((s) => s.passed),
      (await formatConformance(direct)).join('\n'),
    ).toBe(true);
  });

  it.each([
    ['/mcp/fixture (stdio upstream)', () => `${engine.url}/mcp/fixture`, 'modern-gateway-http'],
    ['/mcp/remote (http upstream)', () => `${engine.url}/mcp/remote`, 'modern-gateway-remote'],
    [
      'connect fixture (a second engine’s server)',
      () => `${chained.url}/mcp/viaConnect`,
      'modern-gateway-connect',
    ],
  ])(
    '%s gives exactly the direct results',
    async (_name, url, label) => {
      const via = await runConformance(url(), { label, requirements: REQUIREMENTS });
      expect(await compareConformance(direct, via), (await formatConformance(via)).join('\n')).toEqual([]);
    },
    180_000,
  );
});

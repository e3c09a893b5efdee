// The conformance server suite through the gateway: `/mcp/fixture` of a real `switchboard serve`
// supervising the fixture over stdio, and `switchboard connect fixture` (used as the stdio server of
// a second engine) must give exactly the results of the fixture served directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, untilServers, type ServedEngine } from '../integration/serve-harness.js';
import { SWITCHBOARD } from '../integration/run-harness.js';
import {
  CONFORMANCE_FIXTURE,
  compareConformance,
  formatConformance,
  runConformance,
  startHttpFixture,
  type ConformanceResults,
} from './conformance-harness.js';

let direct: ConformanceResults;
let engine: ServedEngine;
let chained: ServedEngine;

beforeAll(async () => {
  const fixture = await startHttpFixture();
  try {
    direct = await runConformance(fixture.url, { label: 'direct-reference' });
  } finally {
    await fixture.stop();
  }
  engine = await startServe({ fixture: { command: process.execPath, args: [CONFORMANCE_FIXTURE] } });
  await untilServers(
    engine,
    (s) => s.some((x) => x.name === 'fixture' && x.state === 'ready'),
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
});

describe('conformance through the gateway', () => {
  it('the direct run is the reference: every scenario passes', async () => {
    expect(
      Object.values(direct).every((s) => s.passed),
      (await formatConformance(direct)).join('\n'),
    ).toBe(true);
  });

  it('/mcp/fixture gives exactly the direct results', async () => {
    const viaHttp = await runConformance(`${engine.url}/mcp/fixture`, { label: 'gateway-http' });
    expect(await compareConformance(direct, viaHttp), (await formatConformance(viaHttp)).join('\n')).toEqual(
      [],
    );
  }, 180_000);

  it('connect fixture (as a second engine’s server) gives exactly the direct results', async () => {
    const viaConnect = await runConformance(`${chained.url}/mcp/viaConnect`, { label: 'gateway-connect' });
    expect(
      await compareConformance(direct, viaConnect),
      (await formatConformance(viaConnect)).join('\n'),
    ).toEqual([]);
  }, 180_000);
});

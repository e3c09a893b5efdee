// The conformance server suite (the 2025-11-25 requirement set) through the gateway: `/mcp/fixture`
// of a real `switchboard serve` supervising the fixture over stdio, `/mcp/remote` with the fixture
// as an http upstream, and `switchboard connect fixture` (used as the stdio server of a second
// engine) must give exactly the results of the fixture served directly, check by check.
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
  type HttpFixture,
} from './conformance-harness.js';

let direct: ConformanceResults;
let engine: ServedEngine;
let chained: ServedEngine;
let upstreamFixture: HttpFixture;

beforeAll(async () => {
  const fixture = await startHttpFixture();
  try {
    direct = await runConformance(fixture.url, { label: 'direct-reference' });
  } finally {
    await fixture.stop();
  }
  upstreamFixture = await startHttpFixture();
  engine = await startServe({
    fixture: { command: process.execPath, args: [CONFORMANCE_FIXTURE] },
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

  it('/mcp/remote (the fixture as an http upstream) gives exactly the direct results', async () => {
    const viaRemote = await runConformance(`${engine.url}/mcp/remote`, { label: 'gateway-remote' });
    expect(
      await compareConformance(direct, viaRemote),
      (await formatConformance(viaRemote)).join('\n'),
    ).toEqual([]);
  }, 180_000);

  it('connect fixture (as a second engine’s server) gives exactly the direct results', async () => {
    const viaConnect = await runConformance(`${chained.url}/mcp/viaConnect`, { label: 'gateway-connect' });
    expect(
      await compareConformance(direct, viaConnect),
      (await formatConformance(viaConnect)).join('\n'),
    ).toEqual([]);
  }, 180_000);
});

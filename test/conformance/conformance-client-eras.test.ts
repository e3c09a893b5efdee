// The engine's own MCP client against every client scenario a protocol revision requires: the MCP
// conformance suite's `client --requirements 2025-11-25` and `--requirements 2026-07-28`, run by
// scripts/conformance-client.mjs with test/conformance/engine-client.ts (HttpUpstream and its OAuth
// client) as the client under test. A 2026-07-28 scenario is spoken to in 2026-07-28 (server/discover,
// the envelope, the SEP-2243 headers, input-required results); a 2025-11-25 one is initialized.
// Suite output: test-results/conformance-client/.
import { describe, expect, it } from 'vitest';
import { AUTH_SUITE, engineClientCommand, runClientRunner } from './client-runner.js';

/** The scored client scenarios of each set, as the suite freezes them (`list --requirements`). */
const REQUIRED: Record<string, string[]> = {
  '2025-11-25': [
    'initialize',
    'tools_call',
    'elicitation-sep1034-client-defaults',
    'sse-retry',
    ...AUTH_SUITE,
  ],
  '2026-07-28': [
    'tools_call',
    'request-metadata',
    ...AUTH_SUITE,
    'auth/resource-mismatch',
    'auth/offline-access-scope',
    'auth/offline-access-not-supported',
    'auth/authorization-server-migration',
    'auth/iss-supported',
    'auth/iss-not-advertised',
    'auth/iss-supported-missing',
    'auth/iss-wrong-issuer',
    'auth/iss-unexpected',
    'auth/iss-normalized',
    'auth/metadata-issuer-mismatch',
    'sep-2322-client-request-state',
    'http-standard-headers',
    'http-custom-headers',
    'http-invalid-tool-headers',
    'json-schema-ref-no-deref',
  ],
};

/** Checks a scenario may fail (check id → why), and on nothing else. */
type Exclusion = Record<string, string>;

/**
 * Scenarios of each set the engine's client does not pass yet (scenario → its failing checks, each
 * with why); everything else must pass. None today: SEP-837 (`application_type`) and SEP-2352
 * (reading the protected-resource metadata again after a refusal) were the last.
 */
const EXCLUDED: Record<string, Record<string, Exclusion>> = { '2025-11-25': {}, '2026-07-28': {} };

/** Bound on one requirement set's run (every scenario's client at once); the test stops a minute later. */
const SUITE_TIMEOUT_MS = 4 * 60_000;
/** Bound on one client process (the suite's `--timeout`): all of them start together on two cores. */
const CLIENT_TIMEOUT_MS = 120_000;

describe.each(Object.keys(REQUIRED))('the engine client against the %s client requirements', (revision) => {
  it(
    'passes every scored scenario but the excluded ones, and those only on their known checks',
    async () => {
      const run = await runClientRunner(
        [
          '--command',
          await engineClientCommand(`engine-client-${revision}`),
          '--requirements',
          revision,
          '--client-timeout-ms',
          String(CLIENT_TIMEOUT_MS),
        ],
        `requirements-${revision}`,
        SUITE_TIMEOUT_MS,
      );
      const { results } = run;
      // Exactly the set's scored scenarios are reported (the suite's unscored extras are left out).
      expect(Object.keys(results).sort(), run.output).toEqual([...REQUIRED[revision]!].sort());
      const excluded = EXCLUDED[revision]!;
      const failed = Object.entries(results)
        .filter(([name, r]) => !r.passed && !(name in excluded))
        .map(([name, r]) => `${name}: ${JSON.stringify(r.checks)}`);
      expect(failed, run.output).toEqual([]);
      // An excluded scenario fails on its known checks only: anything else there is a regression.
      const failing = (status: string | undefined) => status === 'FAILURE' || status === 'WARNING';
      const unexpected = Object.entries(excluded).flatMap(([name, checks]) =>
        Object.entries(results[name]?.checks ?? {})
          .filter(([id, status]) => failing(status) && !(id in checks))
          .map(([id, status]) => `${name}: ${id} ${status}`),
      );
      expect(unexpected, run.output).toEqual([]);
      // An excluded check that passes again is stale and must go.
      const stale = Object.entries(excluded).flatMap(([name, checks]) =>
        Object.entries(checks)
          .filter(([id]) => !failing(results[name]?.checks[id]))
          .map(([id, why]) => `${name}: ${id} passes now (excluded for ${why})`),
      );
      expect(stale, run.output).toEqual([]);
      if (Object.keys(excluded).length === 0) expect(run.exitCode, run.output).toBe(0);
    },
    SUITE_TIMEOUT_MS + 60_000,
  );
});

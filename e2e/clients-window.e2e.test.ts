/// <reference lib="dom" />
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IDS } from '../electron/shared/clients.js';
import { keyringUnavailableReason, type KeyringSession } from '../test/helpers/keyring-session.js';
import { leaksInPage, screenshotsInBothThemes, type LeakWatch } from './page-checks.js';
import { StdioRpcClient } from '../test/helpers/stdio-rpc-client.js';
import { api, chromiumMissing, keyringValues, signInLink, type Engine } from './harness.js';
import {
  claudeConfig,
  cursorConfig,
  NEEDLES,
  SECRET,
  secretTool,
  startClientsScene,
  TOKEN,
  type ClientsScene,
  type SecretsAnswer,
  type ServerEntry,
  type ServersAnswer,
} from './clients-scene.js';

// A person brings their AI clients to Switchboard from the window's Clients page: imports Cursor's
// server (its token into the OS keyring), imports Claude Desktop's clashing one renamed, points Cursor
// at Switchboard (the diff first, the token masked), really runs the bridge line written into Cursor's
// file, and undoes the install byte for byte, also after the file was edited since. All against a real
// `switchboard serve` whose home (HOME) is a temp folder, on a real OS keyring, hunting the token in the
// page and in every answer it got.

const unavailable = chromiumMissing ?? keyringUnavailableReason();

let scene: ClientsScene;
let session: KeyringSession;
let page: Page;
let engine: Engine;
let temp: string;
let sbHome: string;
let cursorFile: string;
let claudeFile: string;
/** Cursor's file as the person wrote it: every undo must give these bytes back. */
let cursorOriginal: Buffer;
let leaks: LeakWatch;

const card = (id: string) => page.getByTestId(`client-${id}`);
const text = (locator: Locator) => locator.textContent().catch(() => '');
const cursorServers = () =>
  (parseJsonc(readFileSync(cursorFile, 'utf8')) as { mcpServers: Record<string, ServerEntry> }).mcpServers;

async function openClients(): Promise<void> {
  await page.getByRole('link', { name: 'Clients', exact: true }).click();
  await page.waitForURL(/#\/clients$/);
  await expect
    .poll(() => text(card('cursor').getByTestId('client-file')), { timeout: 10_000 })
    .toBe(cursorFile);
}

async function stateOf(name: string): Promise<string | undefined> {
  const answer = (await api(engine, 'GET', '/api/v1/servers')) as ServersAnswer;
  return answer.servers.find((s) => s.name === name)?.state;
}

describe.skipIf(unavailable !== undefined)(
  `bringing AI clients to Switchboard from the window${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      scene = await startClientsScene();
      ({ temp, sbHome, cursorFile, claudeFile, session, page, engine, leaks } = scene);
    });

    afterAll(async () => {
      await scene?.stop();
    });

    it("lists Cursor's and Claude Desktop's files with their servers, the other clients under Not found", async () => {
      mkdirSync(path.dirname(cursorFile), { recursive: true });
      mkdirSync(path.dirname(claudeFile), { recursive: true });
      writeFileSync(cursorFile, cursorConfig());
      writeFileSync(claudeFile, claudeConfig());
      cursorOriginal = readFileSync(cursorFile);

      await page.goto(await signInLink(engine));
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.goto(`${engine.url}/#/clients`);
      // Project clients look in an empty folder, whatever folder `serve` runs in.
      await page.getByTestId('project-folder').fill(path.join(temp, 'project'));
      await page.getByTestId('clients-refresh').click();
      await expect
        .poll(() => text(card('cursor-project').getByTestId('client-file')), { timeout: 10_000 })
        .toBe(path.join(temp, 'project', '.cursor', 'mcp.json'));

      for (const [id, file] of [
        ['cursor', cursorFile],
        ['claude-desktop', claudeFile],
      ] as const) {
        expect(await text(card(id).getByTestId('client-file'))).toBe(file);
        expect(await text(card(id).getByTestId('client-servers'))).toMatch(/^\s*Servers:\s*echo\s*$/);
        expect(await card(id).getByTestId('client-missing').count()).toBe(0);
        expect(await card(id).getByTestId('client-import').isVisible()).toBe(true);
      }
      const others = CLIENT_IDS.filter((id) => id !== 'cursor' && id !== 'claude-desktop');
      for (const id of others) expect(await card(id).getByTestId('client-missing').count(), id).toBe(1);
      expect(await text(page.getByTestId('clients-found'))).toBe('Found (2)');
      expect(await text(page.getByTestId('clients-not-found'))).toBe(`Not found (${others.length})`);
      // In the page's order: the two found cards, then the heading, then every missing one.
      const order = await page.evaluate(() =>
        [
          ...document.querySelectorAll(
            '[data-testid="clients-found"], [data-testid="clients-not-found"], article[data-testid^="client-"]',
          ),
        ].map((e) => (e as HTMLElement).dataset.testid),
      );
      expect(order[0]).toBe('clients-found');
      expect(order.slice(1, 3).sort()).toEqual(['client-claude-desktop', 'client-cursor']);
      expect(order[3]).toBe('clients-not-found');
      expect(order.slice(4).sort()).toEqual(others.map((id) => `client-${id}`).sort());
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-found');
    });

    it("imports Cursor's server, its token moved to the keyring; it runs in Switchboard", async () => {
      await card('cursor').getByTestId('client-import').click();
      const panel = card('cursor').getByTestId('import-panel');
      const row = panel.getByTestId('import-row-echo');
      await expect.poll(() => text(row.getByTestId('import-as')), { timeout: 10_000 }).toBe('echo');
      expect(await text(row.getByTestId('import-conflict'))).toBe('none');
      expect(await row.getByTestId('import-action').inputValue()).toBe('add');
      const secrets = await text(row.getByTestId('import-secrets'));
      expect(secrets).toContain(`env.FIXTURE_TOKEN → \${secret:${SECRET}}`);
      expect(secrets).toContain(`ends in …${TOKEN.slice(-4)}`);
      expect(await panel.getByTestId('import-move-secrets').isChecked()).toBe(true);
      expect(await text(panel.getByTestId('import-apply'))).toBe('Import 1 server');
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-import-preview');

      await panel.getByTestId('import-apply').click();
      await expect
        .poll(() => text(panel.getByTestId('import-outcome-echo')), { timeout: 10_000 })
        .toContain('echo: added (1 secret moved to the keyring)');

      // The keyring holds the value; Switchboard's config only names it.
      const listed = (await api(engine, 'GET', '/api/v1/secrets')) as SecretsAnswer;
      expect(listed.secrets.find((s) => s.name === SECRET)).toMatchObject({ set: true, usedBy: ['echo'] });
      if (secretTool) expect(keyringValues(session.env, SECRET)).toEqual([TOKEN]);
      const config = readFileSync(path.join(sbHome, 'config.json'), 'utf8');
      expect(config).toContain(`\${secret:${SECRET}}`);
      expect(config).not.toContain(TOKEN);

      await page.getByRole('link', { name: 'Servers', exact: true }).click();
      const badge = page.getByTestId('server-row-echo').getByTestId('state-badge');
      await expect.poll(() => text(badge), { timeout: 20_000 }).toBe('ready');
      // It started with the value from the keyring (its tool tells only the length).
      const answer = (await api(engine, 'POST', '/api/v1/servers/echo/tools/call', {
        tool: 'token_length',
        arguments: {},
      })) as { result?: { content?: { text?: string }[] } };
      expect(answer.result?.content?.[0]?.text).toBe(String(TOKEN.length));
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
    });

    it("imports Claude Desktop's clashing server renamed: both exist", async () => {
      await openClients();
      await card('claude-desktop').getByTestId('client-import').click();
      const panel = card('claude-desktop').getByTestId('import-panel');
      const row = panel.getByTestId('import-row-echo');
      await expect
        .poll(() => text(row.getByTestId('import-conflict')), { timeout: 10_000 })
        .toBe('a different server of this name');
      // Nothing is overwritten by default: the clash is skipped until the person chooses.
      expect(await row.getByTestId('import-action').inputValue()).toBe('skip');
      expect(await text(row.getByTestId('import-notes'))).toContain('choose rename to keep both');
      expect(await panel.getByTestId('import-apply').isDisabled()).toBe(true);

      await row.getByTestId('import-action').selectOption('rename');
      await expect.poll(() => text(row.getByTestId('import-as')), { timeout: 10_000 }).toBe('echo-claude');
      expect(await row.getByTestId('import-rename').inputValue()).toBe('echo-claude');
      await expect.poll(() => panel.getByTestId('import-apply').isEnabled()).toBe(true);
      await screenshotsInBothThemes(page, 'clients-import-conflict-rename');

      await panel.getByTestId('import-apply').click();
      await expect
        .poll(() => text(panel.getByTestId('import-outcome-echo')), { timeout: 10_000 })
        .toContain('echo: added as echo-claude');
      const { mcpServers } = JSON.parse(readFileSync(path.join(sbHome, 'config.json'), 'utf8')) as {
        mcpServers: Record<string, ServerEntry>;
      };
      expect(Object.keys(mcpServers).sort()).toEqual(['echo', 'echo-claude']);
      expect(mcpServers['echo-claude']?.env).toEqual({ FIXTURE_ECHO_DESCRIPTION: "Claude Desktop's echo" });
      await expect.poll(() => stateOf('echo-claude'), { timeout: 20_000 }).toBe('ready');
      expect(await stateOf('echo')).toBe('ready');
    });

    it('installs into Cursor per server: the diff with the token masked, then the file runs `connect`', async () => {
      await card('cursor').getByTestId('client-install').click();
      const panel = card('cursor').getByTestId('install-panel');
      expect(await panel.getByTestId('install-mode-per-server').isChecked()).toBe(true);
      const diff = panel.getByTestId('install-diff');
      await expect.poll(() => diff.count(), { timeout: 10_000 }).toBe(1);
      const shown = await diff.innerText();
      // The removed line had the token: it shows only its last 4 characters.
      expect(shown).toContain(`-      "env": { "FIXTURE_TOKEN": "••••${TOKEN.slice(-4)}" }`);
      expect(shown).toMatch(/^\+.*"connect",/m);
      expect(await text(panel.getByTestId('install-servers'))).toContain('echo: goes through Switchboard');
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-install-diff');

      await panel.getByTestId('install-apply').click();
      await expect.poll(() => panel.getByTestId('install-result').count(), { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => text(card('cursor').getByTestId('client-installed')), { timeout: 10_000 })
        .toContain('Installed, one entry per server');
      expect(await text(card('cursor').getByTestId('client-bridges'))).toContain('echo');
      expect(await text(card('cursor').getByTestId('client-servers'))).toContain('No servers of its own.');

      const written = readFileSync(cursorFile, 'utf8');
      expect(written).not.toContain(TOKEN);
      expect(written).toContain("// Cursor's servers, edited by hand");
      const echo = cursorServers().echo!;
      expect(echo.args.slice(-2)).toEqual(['connect', 'echo']);
      expect(echo.env).toEqual({ SWITCHBOARD_HOME: sbHome });
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-installed');
    });

    it("runs the bridge line written into Cursor's file: the echo server's tools through Switchboard", async () => {
      const echo = cursorServers().echo!;
      // As Cursor would: the entry's command and args, with its env on top of its own.
      const client = StdioRpcClient.spawn(echo.command, echo.args, { env: echo.env ?? {} });
      try {
        const init = (await client.initialize({}, { timeoutMs: 15_000 })) as {
          serverInfo?: { name?: string };
        };
        expect(init.serverInfo?.name).toBe('echo-fixture'); // the upstream's own, passed through
        const listed = await client.request('tools/list', {}, { timeoutMs: 10_000 });
        expect(listed.error).toBeUndefined();
        const names = ((listed.result as { tools: { name: string }[] }).tools ?? []).map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(['echo', 'token_length', 'version']));
        const echoed = await client.callTool('echo', { text: 'through Switchboard' }, { timeoutMs: 10_000 });
        expect(echoed.result).toMatchObject({ content: [{ type: 'text', text: 'through Switchboard' }] });
        const length = await client.callTool('token_length', {}, { timeoutMs: 10_000 });
        expect(length.result).toMatchObject({ content: [{ text: String(TOKEN.length) }] });
      } finally {
        await client.close(5_000);
      }
    });

    it('installs into Claude Desktop: its echo entry reaches echo-claude, the server it was imported as', async () => {
      await card('claude-desktop').getByTestId('client-install').click();
      const panel = card('claude-desktop').getByTestId('install-panel');
      await expect
        .poll(() => text(panel.getByTestId('install-servers')), { timeout: 10_000 })
        .toContain('echo: goes through Switchboard (in Switchboard as "echo-claude")');
      await panel.getByTestId('install-apply').click();
      await expect.poll(() => panel.getByTestId('install-result').count(), { timeout: 10_000 }).toBe(1);
      const { mcpServers } = JSON.parse(readFileSync(claudeFile, 'utf8')) as {
        mcpServers: Record<string, ServerEntry>;
      };
      expect(mcpServers.echo!.args.slice(-2)).toEqual(['connect', 'echo-claude']);
      await panel.getByTestId('install-close').click();
    });

    it("undoes the install from the window: Cursor's file is back byte for byte", async () => {
      await card('cursor').getByTestId('client-uninstall').click();
      const panel = card('cursor').getByTestId('uninstall-panel');
      expect(await text(panel.getByTestId('uninstall-confirm'))).toBe('Undo install');
      await screenshotsInBothThemes(page, 'clients-undo-confirm');

      await panel.getByTestId('uninstall-confirm').click();
      await expect
        .poll(() => text(panel.getByTestId('uninstall-result')), { timeout: 10_000 })
        .toContain('is back as it was before the install');
      expect(await panel.getByTestId('uninstall-kept-as').count()).toBe(0);
      expect(readFileSync(cursorFile).equals(cursorOriginal)).toBe(true);
      await expect.poll(() => card('cursor').getByTestId('client-installed').count()).toBe(0);
      expect(await text(card('cursor').getByTestId('client-servers'))).toMatch(/Servers:\s*echo/);
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-undone');
    });

    it('undoes an install whose file changed since only on "Restore anyway", keeping the changed file', async () => {
      await card('cursor').getByTestId('client-install').click();
      const install = card('cursor').getByTestId('install-panel');
      await expect.poll(() => install.getByTestId('install-diff').count(), { timeout: 10_000 }).toBe(1);
      await install.getByTestId('install-apply').click();
      await expect.poll(() => install.getByTestId('install-result').count(), { timeout: 10_000 }).toBe(1);
      expect(cursorServers().echo!.args.slice(-2)).toEqual(['connect', 'echo']);
      // The person edits the file after the install.
      appendFileSync(cursorFile, '\n');
      const changed = readFileSync(cursorFile);

      await expect
        .poll(() => card('cursor').getByTestId('client-uninstall').count(), { timeout: 10_000 })
        .toBe(1);
      await card('cursor').getByTestId('client-uninstall').click();
      const panel = card('cursor').getByTestId('uninstall-panel');
      await panel.getByTestId('uninstall-confirm').click();
      await expect
        .poll(() => text(panel.getByTestId('uninstall-error')), { timeout: 10_000 })
        .toContain('changed after');
      expect(readFileSync(cursorFile).equals(changed)).toBe(true); // refused: nothing touched
      expect(await text(panel.getByTestId('uninstall-force'))).toBe('Restore anyway');
      await screenshotsInBothThemes(page, 'clients-undo-changed-since');

      await panel.getByTestId('uninstall-force').click();
      const keptAs = panel.getByTestId('uninstall-kept-as');
      await expect.poll(() => keptAs.count(), { timeout: 10_000 }).toBe(1);
      const kept = (await keptAs.textContent()) ?? '';
      expect(path.dirname(kept)).toBe(path.dirname(cursorFile));
      expect(existsSync(kept) && readFileSync(kept).equals(changed)).toBe(true);
      expect(readFileSync(cursorFile).equals(cursorOriginal)).toBe(true);
      await expect.poll(() => card('cursor').getByTestId('client-installed').count()).toBe(0);
      expect(await leaksInPage(page, NEEDLES)).toEqual([]);
      await screenshotsInBothThemes(page, 'clients-undo-restored-anyway');
    });

    it('never had the token in the page, nor in any answer of the engine', async () => {
      for (const hash of ['#/clients', '#/servers', '#/secrets', '#/servers/echo/logs']) {
        await page.goto(`${engine.url}/${hash}`);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        expect(await leaksInPage(page, NEEDLES), hash).toEqual([]);
        expect(await page.content(), hash).not.toContain(TOKEN);
      }
      // Watched on every change of every page load since the first.
      expect(leaks.seenInPage).toEqual([]);
      expect(leaks.leakyAnswers).toEqual([]);

      // The hunt can find it: once written into the page, both the watcher and the search see it.
      await page.evaluate((value) => {
        document.body.append(Object.assign(document.createElement('p'), { textContent: value }));
      }, TOKEN);
      await expect.poll(() => leaks.seenInPage.length).toBeGreaterThan(0);
      expect(await leaksInPage(page, NEEDLES)).toEqual([
        `text: ${TOKEN}`,
        `markup: ${TOKEN}`,
        `text: ${TOKEN.slice(0, 12)}`,
        `markup: ${TOKEN.slice(0, 12)}`,
      ]);
    });
  },
);

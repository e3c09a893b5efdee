/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmServerBin } from '../test/gateway/gateway-harness.js';
import {
  chromiumMissing,
  freePort,
  launchBrowser,
  makeHome,
  screenshot,
  signInLink,
  startEngine,
  type Engine,
} from './harness.js';

// The tool tester is a client of the server (issue 22): against server-everything from npm, through
// a real `switchboard serve`, the person answers the server's elicitation and sampling in the window,
// watches progress, and cancels.

const EVERYTHING = npmServerBin('@modelcontextprotocol/server-everything', 'mcp-server-everything');

let browser: Browser;
let page: Page;
let engine: Engine;

const tester = () => page.getByTestId('tool-tester');
const result = () => page.getByTestId('tool-result').textContent();

async function openTool(name: string): Promise<void> {
  await page.getByRole('searchbox').fill(name);
  await page.getByTestId(`tool-open-${name}`).click();
}

describe.skipIf(chromiumMissing !== undefined)(`the tool tester in Chromium ${chromiumMissing ?? ''}`, () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const home = makeHome({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING] } } });
    engine = await startEngine(home, await freePort());
    await page.goto(await signInLink(engine));
    await page.goto(`${engine.url}/#/servers/everything/tools`);
    await page.getByTestId('tool-open-echo').waitFor({ timeout: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it("answers the server's elicitation in a form the server described", async () => {
    await openTool('trigger-elicitation-request');
    await page.getByTestId('tool-call').click();
    const question = page.getByTestId('server-question');
    await question.waitFor({ timeout: 20_000 });
    expect(await question.textContent()).toContain('Please provide inputs for the following fields');
    await question.locator('input[type="text"]').first().fill('Ada Lovelace');
    await screenshot(page, 'tool-tester-elicitation');
    await question.getByTestId('question-accept').click();
    await expect.poll(result, { timeout: 20_000 }).toContain('Name: Ada Lovelace');
    expect(await question.count()).toBe(0);
  });

  it('declines sampling, and the server hears the refusal', async () => {
    await openTool('trigger-sampling-request');
    await tester().getByLabel('prompt').fill('say hi');
    await page.getByTestId('tool-call').click();
    const question = page.getByTestId('server-question');
    await question.waitFor({ timeout: 20_000 });
    expect(await question.getByTestId('question-messages').textContent()).toContain('say hi');
    await question.getByTestId('question-decline').click();
    await expect.poll(result, { timeout: 20_000 }).toContain('User rejected sampling request');
  });

  it('answers sampling with the reply the person writes', async () => {
    await page.getByTestId('tool-call').click();
    const question = page.getByTestId('server-question');
    await question.waitFor({ timeout: 20_000 });
    await question.getByTestId('question-reply').fill('hello from a person');
    await question.getByTestId('question-accept').click();
    await expect.poll(result, { timeout: 20_000 }).toContain('hello from a person');
  });

  it('shows progress as the operation runs, and cancels it', async () => {
    await openTool('trigger-long-running-operation');
    await tester().getByLabel('duration').fill('60');
    await tester().getByLabel('steps').fill('60');
    await page.getByTestId('tool-call').click();
    await expect
      .poll(() => page.getByTestId('tool-progress').textContent(), { timeout: 20_000 })
      .toMatch(/\d+ of 60/);
    await page.getByTestId('tool-cancel').click();
    await expect
      .poll(() => page.getByTestId('tool-cancelled').textContent(), { timeout: 10_000 })
      .toContain('Cancelled');
    expect(await page.getByTestId('tool-calling').textContent()).toBe('');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoUser } from '../../../emulators/teams/accounts';
import { freePort } from '../../../scripts/lib/children';
import { startPlayground, type RunningPlayground } from '../../../scripts/lib/playground';
import { chooseBrowser, prepareBrowser } from '../../support/browser';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { executionsOf, SCENARIO, withBotOutput, writeSqlOf } from '../support/waits';

/**
 * The Microsoft 365 Agents Playground in headless Chromium against a real bot process: a question,
 * a change request, and a click on Approve. The Playground has no Teams SSO, so the bot runs with the
 * local-only LOCAL_PLAYGROUND_SSO shortcut (covered on its own by playground-sso.test.ts), as
 * `npm run playground` documents. The browser: tests/support/browser.ts (Debian's chromium when on
 * PATH, else the one `npm install` brings in @sparticuz/chromium). Skipped, with the reason in one line
 * and in the suite's title, only on a platform where no Chromium can be had; on Linux x64 it always runs.
 */
jest.setTimeout(E2E_TIMEOUT_MS);

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const choice = chooseBrowser();
const skipReason = choice.kind === 'unavailable' ? choice.reason : undefined;
if (skipReason) process.stderr.write(`Browser test skipped: ${skipReason}\n`);

(skipReason ? describe.skip : describe)(`the Agents Playground in a browser, against the real bot${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let world: E2eWorld | undefined;
  let playground: RunningPlayground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'playground-'));

  beforeAll(async () => {
    const launchable = await prepareBrowser(choice);
    browser = await chromium.launch({ executablePath: launchable.executablePath, env: { ...process.env, ...launchable.env }, headless: true, args: CHROMIUM_FLAGS });
    process.stderr.write(`Browser test: Chromium ${browser.version()}, ${launchable.label}\n`);
    world = await startWorld({ env: { LOCAL_PLAYGROUND_SSO: 'true' } });
    const bot = world.bots[0];
    if (!bot) throw new Error('no bot');
    playground = await startPlayground({ messagesUrl: bot.messagesUrl, tenantId: world.stack.tenantId, botAppId: world.stack.botAppId, as: 'alice', port: await freePort(), dir });
    page = await browser.newPage();
    await page.goto(playground.url);
    await page.locator('[data-lexical-editor="true"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function say(text: string): Promise<void> {
    const box = page.locator('[data-lexical-editor="true"]');
    await box.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  /** Resolves when `visible` shows up; fails fast, and says why, if the bot asked for a sign-in instead. */
  async function expectVisible(visible: ReturnType<Page['getByText']>, what: string): Promise<void> {
    const signIn = page.getByRole('button', { name: 'Sign in' });
    const signInsBefore = await signIn.count();
    const winner = await Promise.race([
      visible.last().waitFor({ timeout: 90_000 }).then(() => 'ok' as const),
      signIn.nth(signInsBefore).waitFor({ timeout: 90_000 }).then(() => 'sign-in' as const),
    ]);
    if (winner === 'sign-in') throw new Error(`Expected ${what}, but the bot sent a sign-in card to the Playground user`);
  }

  it('when alice asks a question, then her West rows render in the result card', withBotOutput(() => world, async () => {
    await say(SCENARIO.question);
    await expectVisible(page.getByText('West', { exact: true }), 'a result table with West');
    await expect(page.getByText('East', { exact: true }).count()).resolves.toBe(0);
  }));

  it('when alice asks for a change and clicks Approve, then the card turns to Done and the change ran once', withBotOutput(() => world, async () => {
    const request = SCENARIO.write(100_601);
    await say(request);
    await expectVisible(page.getByRole('button', { name: 'Approve' }), 'an approval card');
    await page.getByRole('button', { name: 'Approve' }).last().click();
    await page.getByText(/Done: \d+ rows? changed/).first().waitFor({ timeout: 60_000 });
    expect(await executionsOf(world as E2eWorld, demoUser('alice').upn, writeSqlOf(request))).toBe(1);
  }));

  it('when alice asks for total sales by month, then the Playground shows the chart sentence, grouped numbers, labelled feedback and local times, never a raw date function', withBotOutput(() => world, async () => {
    await say('What are total sales by month?');
    await expectVisible(page.getByText(/^Line chart/), 'the sentence that leads the chart');
    await expect(page.getByText(/^\d{1,3}(,\d{3})+\.\d{2}$/).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: '👍 Helpful' }).count()).resolves.toBeGreaterThan(0);
    // The approval card above (approved by alice) carries its decision time as {{DATE()}}/{{TIME()}}: rendered, not raw.
    await expect(page.getByText(/^Approved by Alice Wong, .*\d/).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText(/\{\{(DATE|TIME)\(|\d{2}:\d{2}:\d{2}\.\d{3}Z/).count()).resolves.toBe(0);
    // For a person to look at (git-ignored): the chart with its sentence, and the decided approval card.
    const shots = join(process.cwd(), '.local', 'screenshots');
    await page.getByText(/^Line chart/).last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'playground-chart.png') });
    await page.getByText(/^Approved by Alice Wong/).last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'playground-approval.png') });
  }));
});

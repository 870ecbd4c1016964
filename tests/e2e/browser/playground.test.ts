import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoUser } from '../../../emulators/teams/accounts';
import { freePort } from '../../../scripts/lib/children';
import { startPlayground, type RunningPlayground } from '../../../scripts/lib/playground';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { executionsOf, SCENARIO, withBotOutput, writeSqlOf } from '../support/waits';

/**
 * The Microsoft 365 Agents Playground in headless Chromium against a real bot process: a question,
 * a change request, and a click on Approve. The Playground has no Teams SSO, so the bot runs with the
 * local-only LOCAL_PLAYGROUND_SSO shortcut (covered on its own by playground-sso.test.ts), as
 * `npm run playground` documents. Skipped (with a message) only when chromium is missing outside CI.
 */
jest.setTimeout(E2E_TIMEOUT_MS);

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

const chromiumPath = findChromium();
const runs = chromiumPath !== undefined || process.env.CI !== undefined;
if (!runs) console.warn('Browser test skipped: chromium is not installed. Install it with: bash .ci/install-browser');

(runs ? describe : describe.skip)('the Agents Playground in a browser, against the real bot', () => {
  let world: E2eWorld | undefined;
  let playground: RunningPlayground | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'playground-'));

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('chromium is required in CI for the browser test: run bash .ci/install-browser');
    world = await startWorld({ env: { LOCAL_PLAYGROUND_SSO: 'true' } });
    const bot = world.bots[0];
    if (!bot) throw new Error('no bot');
    playground = await startPlayground({ messagesUrl: bot.messagesUrl, tenantId: world.stack.tenantId, botAppId: world.stack.botAppId, as: 'alice', port: await freePort(), dir });
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
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
});

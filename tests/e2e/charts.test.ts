import { adaptiveCardOf, activityText } from '../../emulators/teams/card-text';
import type { Activity } from '../../emulators/teams/types';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { waitForAnswer, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

type Node = Record<string, unknown>;

/** Every element of a card, depth first, in reading order. */
function elements(card: unknown): Node[] {
  const out: Node[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (typeof node.type === 'string') out.push(node);
    for (const [key, child] of Object.entries(node)) if (key !== 'fallback') walk(child);
  };
  walk((card as Node | undefined)?.body);
  return out;
}

const charts = (activity: Activity): Node[] => elements(adaptiveCardOf(activity)).filter((e) => String(e.type).startsWith('Chart.'));

describe('charts people read, end to end (real bot process, Genie emulator, Teams-like client)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when alice asks for total sales by month, then Genie’s DATE + DECIMAL answer gets a Chart.Line in time order, led by a sentence for screen readers, with the table and grouped numbers beside it', async () => {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say('What are total sales by month?');
    const answer = await waitForAnswer(w(), alice, since);
    await alice.idle();

    const card = adaptiveCardOf(answer.activity);
    const [line, ...others] = charts(answer.activity);
    expect(others).toEqual([]);
    expect(line).toMatchObject({ type: 'Chart.Line', xAxisTitle: 'month', fallback: { type: 'TextBlock' } });
    const xs = ((line!.data as { values: { x: string }[] }[])[0]!.values ?? []).map((v) => v.x);
    expect(xs.length).toBeGreaterThanOrEqual(2);
    expect(xs).toEqual([...xs].sort());
    expect(xs.every((x) => /^\d{4}-\d{2}$/.test(x))).toBe(true);

    const all = elements(card);
    const summary = all[all.indexOf(line!) - 1];
    expect(summary).toMatchObject({ type: 'TextBlock' });
    expect(String(summary!.text)).toMatch(new RegExp(`^Line chart.*${xs[0]} to ${xs[xs.length - 1]}; highest \\d{4}-\\d{2}: [\\d,]+\\.\\d{2}, lowest \\d{4}-\\d{2}: [\\d,]+\\.\\d{2}\\.`));
    expect(all.some((e) => e.type === 'Table')).toBe(true);
    const text = activityText(answer.activity);
    expect(text).not.toMatch(/\d{5,}\.\d{2}/);
    const buttons = ((card?.actions ?? []) as Node[]).map((a) => a.title);
    expect(buttons).toEqual(expect.arrayContaining(['👍 Helpful', '👎 Not helpful']));
  });

  test('when alice asks for total sales by region, then row filters leave her one row (West) and she gets the table with no chart', async () => {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say('What are total sales by region?');
    const answer = await waitForAnswer(w(), alice, since);
    await alice.idle();

    expect(activityText(answer.activity)).toMatch(/\bWest\b/);
    expect(charts(answer.activity)).toEqual([]);
  });
});

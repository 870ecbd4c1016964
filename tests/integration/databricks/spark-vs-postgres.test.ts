import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DISAGREE } from '../../unit/databricks/spark-lexer-cases';

/** The lexer table's `postgres:` claims, checked: PGlite reading the raw text gives another outcome than Spark's reading. */
interface Outcome {
  sql: string;
  other: string;
  postgres: string;
  emulator: string;
}

const ROOT = resolve(__dirname, '../../..');
let outcomes: Outcome[];

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(__dirname, 'spark-vs-postgres-main.ts')], { cwd: ROOT });
  outcomes = JSON.parse(stdout) as Outcome[];
}, 60_000);

describe('Spark reading vs Postgres reading of the same text (PGlite)', () => {
  test('every row that names a Postgres reading has one: raw PGlite and the emulator disagree, at least 40 rows', () => {
    const claimed = outcomes.filter((o) => o.other.startsWith('postgres:'));
    expect(claimed.length).toBe(DISAGREE.filter((row) => row[3].startsWith('postgres:')).length);
    expect(claimed.length).toBeGreaterThanOrEqual(40);
    expect(claimed.filter((o) => o.postgres === o.emulator)).toEqual([]);
  });

  test('when a -- comment continues with backslash-LF, then Postgres deletes every row and Spark one', () => {
    const row = outcomes.find((o) => o.sql === 'DELETE FROM t WHERE id = 1 --c\\\nOR true')!;
    expect(JSON.parse(row.postgres)).toMatchObject({ changed: 3 });
    expect(JSON.parse(row.emulator)).toMatchObject({ changed: 1 });
  });

  test("when \\' escapes a quote, then Postgres deletes every row and Spark none", () => {
    const row = outcomes.find((o) => o.sql === "DELETE FROM t WHERE note = 'a\\' OR true --'")!;
    expect(JSON.parse(row.postgres)).toMatchObject({ changed: 3 });
    expect(JSON.parse(row.emulator)).toMatchObject({ changed: 0 });
  });
});

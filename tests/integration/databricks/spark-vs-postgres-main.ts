/**
 * Child process for spark-vs-postgres.test.ts (PGlite cannot load inside jest's VM): runs every row of
 * the lexer table twice in a scratch PGlite, once as raw text (Postgres's reading) and once as the
 * emulator's translation (Spark's reading), and prints one JSON line with both outcomes per row.
 */
import { PGlite } from '@electric-sql/pglite';
import { translate } from '../../../emulators/databricks/spark-sql';
import { CONTROLS, DISAGREE } from '../../unit/databricks/spark-lexer-cases';

async function main(): Promise<void> {
  const db = new PGlite();
  await db.exec(`CREATE TABLE t (id int, note text, x int, s text);
    INSERT INTO t VALUES (1, 'a', 0, 'cancelled'), (2, 'b', 0, 'pending'), (3, 'c', 0, 'cancelledx');`);
  const run = async (sql: string): Promise<string> => {
    await db.exec('BEGIN');
    try {
      const result = await db.query(sql, [], { rowMode: 'array' });
      return JSON.stringify({ columns: result.fields.map((f) => f.name), rows: result.rows, changed: result.affectedRows });
    } catch (error) {
      return `error: ${(error as Error).message}`;
    } finally {
      await db.exec('ROLLBACK');
    }
  };
  const outcomes = [];
  for (const [sql, , , other] of [...DISAGREE, ...CONTROLS]) {
    let emulator: string;
    try {
      emulator = await run(translate(sql).sql);
    } catch (error) {
      emulator = `refused: ${(error as Error).message}`;
    }
    outcomes.push({ sql, other, postgres: await run(sql), emulator });
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  await db.close();
}

void main();

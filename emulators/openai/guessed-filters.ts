/**
 * What a real model does when the prompt lists a table's columns but not their values: it reads
 * "the cancelled orders in West" as `status = 'cancelled' AND region = 'West'`, guessing the value
 * from the words next to the table's noun and after "in". The product's catalog prompt (information
 * schema, as the user sees it) lists column names and types only, so without these guesses the
 * emulated model could not write any worded change that `npm start -- --model` offers to try.
 * Guesses only fill columns the prompt gives no value list for; a wrong guess matches no rows, and the
 * change is still shown, counted and approved as the guard's canonical SQL before anything runs.
 */
import type { PromptTable } from './rules';

/** Words before the noun that are not a state ("delete the old orders" has no state to guess). */
const NOT_A_STATE = new Set(['the', 'all', 'my', 'our', 'these', 'those', 'every', 'of', 'delete', 'remove', 'mark', 'set', 'update', 'change', 'old', 'new', 'some', 'any']);
const NOT_A_PLACE = new Set(['the', 'a', 'an', 'all', 'my', 'our', 'this', 'that', 'order', 'orders', 'stock', 'total']);

const sqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The place column a `region STRING` / `country STRING` / `city STRING` line names, if any. */
export function placeColumnIn(rest: string): string | undefined {
  return /\b(region|country|city)\s+STRING\b/i.exec(rest)?.[1];
}

/** Conditions guessed from `text` (lower case) for columns without a value list. */
export function guessedFilters(text: string, table: PromptTable): string[] {
  const listed = new Set(table.valueColumns.map((c) => c.column.toLowerCase()));
  const where: string[] = [];
  if (table.stateColumn && !listed.has(table.stateColumn.toLowerCase())) {
    const state = new RegExp(`\\b([a-z][a-z-]+)\\s+${table.noun}(?:s|es)?\\b`).exec(text)?.[1];
    if (state && !NOT_A_STATE.has(state)) where.push(`${table.stateColumn} = ${sqlString(state)}`);
  }
  if (table.placeColumn && !listed.has(table.placeColumn.toLowerCase())) {
    const place = /\bin\s+(?:the\s+)?([a-z][a-z-]+)\b/.exec(text)?.[1];
    if (place && !NOT_A_PLACE.has(place)) where.push(`${table.placeColumn} = ${sqlString(place.charAt(0).toUpperCase() + place.slice(1))}`);
  }
  return where;
}

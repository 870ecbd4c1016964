/**
 * The emulated model: deterministic answers by rule, from what the request says and nothing else.
 * It reads the tables the system prompt lists (bullet lines naming `catalog.schema.table`, with any
 * `column: v1/v2/…` or `column TYPE (one of: "v1", "v2")` value lists and `id <column>` or a
 * `<noun>_id` column) and the user's last message, and answers the
 * routing JSON the product's prompt asks for: question, change (SQL built only from the listed
 * tables and values), remember, recall, forget, help. Like a real model it can be talked into
 * misbehaving: it follows a user who asks to drop a table or for two changes at once, writing DDL or
 * two statements despite the system prompt, so the product's own guard is what refuses them.
 */
import { guessedFilters, placeColumnIn } from './guessed-filters';

export interface PromptTable {
  name: string;
  /** Singular noun of the table's last name part ("orders" → "order"). */
  noun: string;
  idColumn: string | undefined;
  valueColumns: { column: string; values: string[] }[];
  /** A STRING column named `status` or `state`: where a model puts "mark … as shipped" when no value list is given. */
  stateColumn?: string | undefined;
  /** A STRING column named `region`, `country` or `city`: where a model puts "… in West" when no value list is given. */
  placeColumn?: string | undefined;
}

export interface ChatMessage {
  role: string;
  content: unknown;
}

export type RoutingReply = Record<string, string>;

const TABLE_LINE = /^\s*[-*]\s*`?([A-Za-z_]\w*)`?\.`?([A-Za-z_]\w*)`?\.`?([A-Za-z_]\w*)`?(.*)$/;

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
  return '';
}

/** The tables a system prompt lists, in order. */
export function tablesInPrompt(system: string): PromptTable[] {
  const tables: PromptTable[] = [];
  for (const line of system.split(/\r?\n/)) {
    const match = TABLE_LINE.exec(line);
    if (!match) continue;
    const [, catalog, schema, table, rest = ''] = match as unknown as [string, string, string, string, string];
    // `status: a/b/c` (value lists) or `status STRING (one of: "a", "b")` (column lists with values).
    const slashed = [...rest.matchAll(/\b([A-Za-z_]\w*):\s*([^;()]+)/g)].map((m) => ({ column: m[1] as string, values: (m[2] as string).split('/') }));
    const oneOf = [...rest.matchAll(/\b([A-Za-z_]\w*)\s+[A-Za-z_][\w<>]*\s*\(one of:\s*([^)]*)\)/g)].map((m) => ({
      column: m[1] as string,
      values: [...(m[2] as string).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((v) => v[1] as string),
    }));
    const valueColumns = [...slashed, ...oneOf]
      .map((c) => ({ column: c.column, values: c.values.map((v) => v.trim()).filter((v) => /^[\w -]+$/.test(v)) }))
      .filter((c) => c.values.length > 1);
    const noun = table.toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
    const idColumn = /\bid\s+([A-Za-z_]\w*)/.exec(rest)?.[1] ?? new RegExp(`\\b(${noun}_id)\\b`, 'i').exec(rest)?.[1];
    const stateColumn = /\b(status|state)\s+STRING\b/i.exec(rest)?.[1];
    const placeColumn = placeColumnIn(rest);
    tables.push({ name: `${catalog}.${schema}.${table}`, noun, idColumn, valueColumns, stateColumn, ...(placeColumn ? { placeColumn } : {}) });
  }
  return tables;
}

const sqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const mentions = (text: string, word: string): boolean => new RegExp(`\\b${word.toLowerCase().replace(/[^\w -]/g, '')}\\b`).test(text);

function tableFor(text: string, tables: readonly PromptTable[]): PromptTable | undefined {
  return tables.find((t) => new RegExp(`\\b${t.noun}(?:s|es)?\\b`).test(text));
}

/** One DML statement for one clause of a change request, or undefined when it cannot be written safely. */
function statementFor(clause: string, tables: readonly PromptTable[]): string | undefined {
  const text = clause.toLowerCase();
  const table = tableFor(text, tables);
  if (!table) return undefined;
  const isDelete = /\b(delete|remove)\b/.test(text);
  const isUpdate = /\b(update|set|mark|change)\b/.test(text);
  if (isDelete === isUpdate) return undefined;

  let filterText = text;
  let assignment: string | undefined;
  if (isUpdate) {
    for (const col of table.valueColumns) {
      const target = /\b(?:as|to)\s+([\w-]+)/g;
      for (let m = target.exec(text); m; m = target.exec(text)) {
        const value = col.values.find((v) => v.toLowerCase() === m![1]);
        if (value) {
          assignment = `${col.column} = ${sqlString(value)}`;
          filterText = text.slice(0, m.index) + text.slice(m.index + m[0].length);
          break;
        }
      }
      if (assignment) break;
    }
    const guess = /\b(?:as|to)\s+([a-z][\w-]*)\s*$/.exec(text);
    if (!assignment && table.stateColumn && guess) {
      assignment = `${table.stateColumn} = ${sqlString(guess[1] as string)}`;
      filterText = text.slice(0, guess.index);
    }
    if (!assignment) return undefined;
  }
  const where: string[] = [];
  const range = /\b(?:from|between)\s+(\d+)\s+(?:to|and|through)\s+(\d+)\b/.exec(filterText);
  const single = new RegExp(`\\b${table.noun}s?\\s+(?:#|number\\s+|id\\s+)?(\\d+)\\b`).exec(filterText);
  if (table.idColumn && range) where.push(`${table.idColumn} BETWEEN ${range[1]} AND ${range[2]}`);
  else if (table.idColumn && single) where.push(`${table.idColumn} = ${single[1]}`);
  for (const col of table.valueColumns) {
    const found = col.values.filter((v) => mentions(filterText, v));
    if (found.length === 1) where.push(`${col.column} = ${sqlString(found[0] as string)}`);
    if (found.length > 1) where.push(`${col.column} IN (${found.map(sqlString).join(', ')})`);
  }
  where.push(...guessedFilters(filterText, table));
  if (where.length === 0) return undefined;
  const whereSql = ` WHERE ${where.join(' AND ')}`;
  return isDelete ? `DELETE FROM ${table.name}${whereSql}` : `UPDATE ${table.name} SET ${assignment as string}${whereSql}`;
}

/** The routing answer for a user message, given the system prompt's tables. */
export function routingReply(user: string, tables: readonly PromptTable[]): RoutingReply {
  const text = user.trim().replace(/^(?:please|pls|hey|hi)[,\s]+/i, '');
  const lower = text.toLowerCase();
  if (/^(?:help|what can you do)\b/.test(lower)) return { intent: 'help' };
  const remember = /^remember(?:\s+that)?\s+(.+)$/i.exec(text);
  if (remember) return { intent: 'remember', text: (remember[1] as string).trim() };
  if (/\bwhat do you (?:remember|know) about me\b/.test(lower)) return { intent: 'recall' };
  const forget = /^forget\s+(.+)$/i.exec(text);
  if (forget) return { intent: 'forget', text: /^(?:everything|all)\b/i.test(forget[1] as string) ? 'all' : (forget[1] as string).trim() };

  const ddl = /^(drop|truncate)\b/.exec(lower);
  if (ddl) {
    const table = tableFor(lower, tables);
    return table ? { intent: 'change', sql: `${(ddl[1] as string).toUpperCase()} TABLE ${table.name}` } : { intent: 'change' };
  }
  if (/^(?:delete|remove|update|set|mark|change)\b/.test(lower)) {
    const clauses = lower.split(/\s*(?:;|\band then\b|\bthen also\b)\s*/).filter(Boolean);
    const statements = clauses.map((c) => statementFor(c, tables));
    if (statements.some((s) => s === undefined)) return { intent: 'change' };
    return { intent: 'change', sql: statements.join('; ') };
  }
  return { intent: 'question', question: text };
}

/** The model's answer text for a chat request: routing JSON when the prompt asks for it. */
export function answerFor(messages: readonly ChatMessage[]): string {
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n');
  const user = [...messages].reverse().find((m) => m.role === 'user');
  if (!/"intent"/.test(system)) return 'This emulated model only answers the routing prompt.';
  return JSON.stringify(routingReply(textOf(user?.content), tablesInPrompt(system)));
}

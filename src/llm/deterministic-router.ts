/**
 * The router used when no LLM is configured (the local default), and for the explicit commands
 * that never go to an LLM: `run: <SQL>`, a ```sql block, and the commands of src/commands.
 * Change requests are recognised by their leading verb and never reach Genie.
 */
import { type ParsedCommand, parseCommand } from '../commands';
import { applyMemories } from './memory-context';
import { NO_TABLES_HINT, nlTablesOfCatalog } from './catalog-schema';
import { nlToDml, type NlTable, DEMO_NL_SCHEMA } from './nl-to-dml';
import type { Intent, IntentRouter, RouteContext } from './types';

const POLITE_PREFIX = /^(?:(?:please|pls|kindly|hey|hi|ok|okay)[,\s]+|(?:can|could|would|will) you\s+(?:please\s+)?|i(?:'d| would) like (?:you )?to\s+|i (?:want|need) (?:you )?to\s+|go ahead and\s+)+/i;
const CHANGE_VERB = /^(delete|remove|update|set|change|insert|add|mark|modify|merge|drop|truncate|alter|grant|revoke|create)\b/i;
const FENCED_SQL = /```sql\s*\n?([\s\S]*?)```/i;
const RUN_PREFIX = /^\s*(?:run|execute|exec|sql)\s*:\s*([\s\S]+)$/i;

/** The intent of a command from the shared table (src/commands) when it reaches the agents. */
function commandIntent(command: ParsedCommand): Intent | undefined {
  switch (command.kind) {
    case 'help':
      return { kind: 'help' };
    case 'memory-list':
      return { kind: 'recall' };
    case 'remember':
      return { kind: 'remember', text: command.text };
    case 'forget':
      return { kind: 'forget', what: typeof command.which === 'object' ? command.which.phrase : String(command.which) };
    case 'reset':
    case 'sign-out':
    case 'requests':
    case 'space':
    case 'history':
      return undefined;
  }
}

/**
 * Commands that are recognised without an LLM, whichever router is in use: the command table's
 * (src/commands), and SQL given as `run: <SQL>` or a ```sql block. `new conversation` and `sign out`
 * are answered by the bot before any agent run; here they are not intents.
 */
export function explicitIntent(text: string): Intent | undefined {
  const trimmed = text.trim();
  const command = parseCommand(trimmed);
  if (command?.kind === 'help') return { kind: 'help' };
  const fenced = FENCED_SQL.exec(trimmed);
  if (fenced && (fenced[1] as string).trim() !== '') return { kind: 'change', sql: (fenced[1] as string).trim(), source: 'user' };
  const run = RUN_PREFIX.exec(trimmed);
  if (run) return { kind: 'change', sql: (run[1] as string).trim(), source: 'user' };
  return command === undefined ? undefined : commandIntent(command);
}

export function stripPoliteness(text: string): string {
  return text.trim().replace(POLITE_PREFIX, '').trim();
}

export function isChangeRequest(text: string): boolean {
  return CHANGE_VERB.test(stripPoliteness(text));
}

export interface DeterministicRouterOptions {
  /** NL→DML vocabulary for catalog tables (the local demo's value lists); default none. */
  hints?: readonly NlTable[];
}

/**
 * `schema` is used when the turn has no catalog loader (null: no tables, the Azure profile);
 * with a loader, change requests are derived only over the tables of the user's catalog view.
 */
export function createDeterministicRouter(schema: readonly NlTable[] | null = DEMO_NL_SCHEMA, options: DeterministicRouterOptions = {}): IntentRouter {
  const hints = options.hints ?? [];
  /** The NL→DML tables of this turn; undefined when the user can see no table at all. */
  async function tablesOf(context: RouteContext): Promise<readonly NlTable[] | undefined> {
    if (!context.catalog) return schema ?? undefined;
    const catalog = await context.catalog();
    return catalog.tables.length === 0 ? undefined : nlTablesOfCatalog(catalog.tables, hints);
  }
  return {
    async route(text: string, context: RouteContext): Promise<Intent> {
      const explicit = explicitIntent(text);
      if (explicit) return explicit;
      const resolved = applyMemories(text.trim(), context.memories);
      if (isChangeRequest(resolved)) {
        const request = stripPoliteness(resolved);
        const tables = await tablesOf(context);
        if (!tables) return { kind: 'change-without-sql', request, hint: NO_TABLES_HINT };
        const derived = nlToDml(request, tables);
        return derived.ok ? { kind: 'change', sql: derived.sql, source: 'derived' } : { kind: 'change-without-sql', request, hint: derived.hint };
      }
      return { kind: 'question', question: resolved };
    },
  };
}

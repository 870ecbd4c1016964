/**
 * The router used when no LLM is configured (the local default), and for the explicit commands
 * that never go to an LLM: `run: <SQL>`, a ```sql block, remember/recall/forget and help.
 * Change requests are recognised by their leading verb and never reach Genie.
 */
import { applyMemories } from './memory-context';
import { nlToDml, type NlTable, DEMO_NL_SCHEMA } from './nl-to-dml';
import type { Intent, IntentRouter, RouteContext } from './types';

const POLITE_PREFIX = /^(?:(?:please|pls|kindly|hey|hi|ok|okay)[,\s]+|(?:can|could|would|will) you\s+(?:please\s+)?|i(?:'d| would) like (?:you )?to\s+|i (?:want|need) (?:you )?to\s+|go ahead and\s+)+/i;
const CHANGE_VERB = /^(delete|remove|update|set|change|insert|add|mark|modify|merge|drop|truncate|alter|grant|revoke|create)\b/i;
const FENCED_SQL = /```sql\s*\n?([\s\S]*?)```/i;
const RUN_PREFIX = /^\s*(?:run|execute|exec|sql)\s*:\s*([\s\S]+)$/i;

/** Commands that are recognised without an LLM, whichever router is in use. */
export function explicitIntent(text: string): Intent | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /^(help|\?|what can you do\??|commands)$/i.test(trimmed)) return { kind: 'help' };
  const fenced = FENCED_SQL.exec(trimmed);
  if (fenced && (fenced[1] as string).trim() !== '') return { kind: 'change', sql: (fenced[1] as string).trim(), source: 'user' };
  const run = RUN_PREFIX.exec(trimmed);
  if (run) return { kind: 'change', sql: (run[1] as string).trim(), source: 'user' };
  if (/^(what do you (remember|know) about me|what do you remember|(list|show)( me)? (my |your )?memories)\??$/i.test(trimmed)) {
    return { kind: 'recall' };
  }
  const remember = /^remember\s+(?:that\s+)?([\s\S]+)$/i.exec(trimmed);
  if (remember) return { kind: 'remember', text: (remember[1] as string).trim() };
  const forget = /^forget\s+(?:that\s+|about\s+)?([\s\S]+)$/i.exec(trimmed);
  if (forget) {
    const what = (forget[1] as string).trim().replace(/[.!]+$/, '');
    return { kind: 'forget', what: /^(everything|all|all memories|it all)$/i.test(what) ? 'all' : what };
  }
  return undefined;
}

export function stripPoliteness(text: string): string {
  return text.trim().replace(POLITE_PREFIX, '').trim();
}

export function isChangeRequest(text: string): boolean {
  return CHANGE_VERB.test(stripPoliteness(text));
}

export function createDeterministicRouter(schema: readonly NlTable[] = DEMO_NL_SCHEMA): IntentRouter {
  return {
    async route(text: string, context: RouteContext): Promise<Intent> {
      const explicit = explicitIntent(text);
      if (explicit) return explicit;
      const resolved = applyMemories(text.trim(), context.memories);
      if (isChangeRequest(resolved)) {
        const request = stripPoliteness(resolved);
        const derived = nlToDml(request, schema);
        return derived.ok ? { kind: 'change', sql: derived.sql, source: 'derived' } : { kind: 'change-without-sql', request, hint: derived.hint };
      }
      return { kind: 'question', question: resolved };
    },
  };
}

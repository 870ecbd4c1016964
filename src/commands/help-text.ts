import { COMMANDS } from './commands';

/**
 * The one help text, whoever answers `help` (the bot before any agent run, or the agents' help node).
 * Each command's line comes from the command table, so help lists exactly the commands that are routed.
 */
export const HELP_TEXT = [
  'I answer questions about your Databricks data and run changes you approve, always as you.',
  '',
  '- Ask a question, e.g. **"total sales by region last month"** (follow-ups continue the conversation)',
  '- Ask for a change, e.g. **"set status to shipped for order 1042"**, or give exact SQL with `run: <SQL>` or a ```sql block: I show the exact SQL and its impact and wait for your approval',
  '- Only INSERT, UPDATE, DELETE and MERGE changes are allowed, one statement at a time',
  ...COMMANDS.map((c) => `- ${c.usage}: ${c.description}`),
  '',
  'In group chats and channels, mention me. Results stay private to you unless you share them.',
].join('\n');

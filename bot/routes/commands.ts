export type Command =
  | { kind: 'help' }
  | { kind: 'reset' }
  | { kind: 'memory-list' }
  | { kind: 'forget'; which: number | 'all' }
  | { kind: 'sign-out' };

const PATTERNS: [RegExp, (m: RegExpMatchArray) => Command][] = [
  [/^(help|\?|what can you do\??)$/i, () => ({ kind: 'help' })],
  [/^(new|new conversation|new chat|reset|start over)$/i, () => ({ kind: 'reset' })],
  [/^(memory|memories|memory list|list memories|what do you remember( about me)?\??)$/i, () => ({ kind: 'memory-list' })],
  [/^forget\s+(all|everything)$/i, () => ({ kind: 'forget', which: 'all' })],
  [/^forget\s+#?(\d{1,4})$/i, (m) => ({ kind: 'forget', which: Number(m[1]) })],
  [/^(sign ?out|log ?out)$/i, () => ({ kind: 'sign-out' })],
];

/**
 * What the Teams command menu shows for each command (appPackage/manifest.json's command lists; a
 * command is answered in every conversation kind). `forget` takes its argument after the title.
 */
export const COMMAND_TITLES: Readonly<Record<Command['kind'], string>> = {
  help: 'help',
  reset: 'new conversation',
  'memory-list': 'memory list',
  forget: 'forget',
  'sign-out': 'sign out',
};

/** Recognises the bot's own commands; everything else goes to the agents. */
export function parseCommand(text: string): Command | undefined {
  const normalised = text.trim().replace(/\s+/g, ' ');
  for (const [pattern, build] of PATTERNS) {
    const match = normalised.match(pattern);
    if (match) return build(match);
  }
  return undefined;
}

export const HELP_TEXT = [
  'I answer questions about your Databricks data and run changes you approve, always as you.',
  '',
  '- Ask a question, e.g. **"total sales by region last month"**',
  '- Ask for a change, e.g. **"set status to shipped for order 1042"**: I show the exact SQL and wait for your approval',
  '- **new conversation**: start over',
  '- **memory**: what I remember about you; **forget 2** or **forget all**',
  '- **sign out**',
  '',
  'In group chats and channels, mention me. Results stay private to you unless you share them.',
].join('\n');

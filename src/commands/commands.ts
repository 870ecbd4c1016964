/**
 * The one command vocabulary. The bot's command routing (bot/routes/commands.ts), the routers' explicit
 * intents (src/llm/deterministic-router.ts), the help text (./help-text.ts) and the Teams command menu
 * (appPackage/manifest.json, checked by tests/unit/deploy) all read this table; nothing else decides
 * which words are a command.
 *
 * Phrasings are matched against the whole message, trimmed. `\s+` stands for any run of whitespace so
 * that "new   conversation" is the same command; an argument is the first capture group.
 */

/** The Teams conversation types a command menu can be offered in (Teams manifest scopes: personal, groupChat, team). */
export type ConversationScope = 'personal' | 'groupChat' | 'channel';
export const ALL_SCOPES: readonly ConversationScope[] = ['personal', 'groupChat', 'channel'];

export type CommandKind = 'help' | 'reset' | 'memory-list' | 'remember' | 'forget' | 'sign-out' | 'requests' | 'space' | 'history';

/** A recognised command with its argument. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'reset' }
  | { kind: 'memory-list' }
  | { kind: 'remember'; text: string }
  | { kind: 'forget'; which: number | 'all' | { phrase: string } }
  | { kind: 'sign-out' }
  | { kind: 'requests' }
  | { kind: 'space'; name: string | undefined }
  | { kind: 'history' };

export interface CommandPhrasing {
  pattern: RegExp;
  build: (match: RegExpExecArray) => ParsedCommand;
}

export interface CommandSpec {
  kind: CommandKind;
  /** The title in the Teams command menu, for commands offered there. */
  title: string;
  /** Every whole-message form the command accepts, in the order they are tried. */
  phrasings: readonly CommandPhrasing[];
  /** What help shows the user to type (markdown), then what it does. */
  usage: string;
  description: string;
  /** Typed examples, each recognised as this command and each shown in help. */
  examples: readonly string[];
  /** The conversation scopes whose Teams command menu offers it (every command is understood everywhere). */
  menuScopes: readonly ConversationScope[];
}

const FORGET_ALL = /^(?:everything|all|all\s+memories|it\s+all)$/i;

function forgetWhat(raw: string): ParsedCommand {
  const what = raw.trim().replace(/[.!]+$/, '');
  return { kind: 'forget', which: FORGET_ALL.test(what) ? 'all' : { phrase: what } };
}

const fixed = (kind: 'help' | 'reset' | 'memory-list' | 'sign-out' | 'requests' | 'history', ...patterns: RegExp[]): CommandPhrasing[] =>
  patterns.map((pattern) => ({ pattern, build: () => ({ kind }) }));

export const COMMANDS: readonly CommandSpec[] = [
  {
    kind: 'help',
    title: 'help',
    phrasings: fixed('help', /^(?:help|\?|what\s+can\s+you\s+do\??|commands)$/i),
    usage: '**help**',
    description: 'this list',
    examples: ['help'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'reset',
    title: 'new conversation',
    phrasings: fixed('reset', /^(?:new|new\s+conversation|new\s+chat|reset|start\s+over)$/i),
    usage: '**new conversation**',
    description: 'start over (your memories stay)',
    examples: ['new conversation'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'memory-list',
    title: 'memory list',
    phrasings: fixed(
      'memory-list',
      /^(?:memory|memories|memory\s+list)$/i,
      /^(?:list|show)(?:\s+me)?\s+(?:(?:my|your)\s+)?memories\??$/i,
      /^what\s+do\s+you\s+remember(?:\s+about\s+me)?\??$/i,
      /^what\s+do\s+you\s+know\s+about\s+me\??$/i,
    ),
    usage: '**memory**',
    description: 'what I remember about you, numbered',
    examples: ['memory', 'what do you remember'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'remember',
    title: 'remember',
    phrasings: [{ pattern: /^remember\s+(?:that\s+)?([\s\S]+)$/i, build: (m) => ({ kind: 'remember', text: (m[1] as string).trim() }) }],
    usage: '**remember my region is West**',
    description: 'I use it to read "my region" in your questions and changes',
    examples: ['remember my region is West'],
    menuScopes: [],
  },
  {
    kind: 'forget',
    title: 'forget',
    phrasings: [
      { pattern: /^forget\s+#?(\d{1,4})$/i, build: (m) => ({ kind: 'forget', which: Number(m[1]) }) },
      { pattern: /^forget\s+(?:that\s+|about\s+)?([\s\S]+)$/i, build: (m) => forgetWhat(m[1] as string) },
    ],
    usage: '**forget 2**, **forget all** or **forget my region**',
    description: 'forget one memory by its number, everything, or what matches',
    examples: ['forget 2', 'forget all', 'forget my region'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'space',
    title: 'space',
    phrasings: [
      { pattern: /^(?:spaces?|genie\s+spaces?|which\s+space\??)$/i, build: () => ({ kind: 'space', name: undefined }) },
      { pattern: /^(?:use\s+)?space\s+(\S[\s\S]{0,199})$/i, build: (m) => ({ kind: 'space', name: (m[1] as string).trim() }) },
    ],
    usage: '**space**, or **space** followed by a space’s name',
    description: 'see the Genie spaces you can ask, or pick one for this conversation',
    examples: ['space', 'space People (HR)'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'history',
    title: 'history',
    phrasings: fixed('history', /^(?:history|my\s+conversations|conversation\s+history)$/i),
    usage: '**history**',
    description: 'your own Genie conversations in this space: resume or delete one',
    examples: ['history'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'sign-out',
    title: 'sign out',
    phrasings: fixed('sign-out', /^(?:sign\s*out|log\s*out)$/i),
    usage: '**sign out**',
    description: 'sign out and clear your cached sign-in',
    examples: ['sign out'],
    menuScopes: ALL_SCOPES,
  },
  {
    kind: 'requests',
    title: 'requests',
    phrasings: fixed(
      'requests',
      /^(?:(?:my\s+)?(?:change\s+)?requests|pending\s+approvals)\??$/i,
      /^(?:list|show)(?:\s+me)?\s+(?:my\s+)?(?:change\s+)?requests\??$/i,
    ),
    usage: '**requests**',
    description: 'your change requests (status, SQL, impact, approver, rows changed), and those waiting for you if you approve',
    examples: ['requests', 'show my requests'],
    menuScopes: ALL_SCOPES,
  },
];

/** The command a whole message is, or undefined. An empty message asks for help. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'help' };
  for (const spec of COMMANDS) {
    for (const { pattern, build } of spec.phrasings) {
      const match = pattern.exec(trimmed);
      if (match) return build(match);
    }
  }
  return undefined;
}

/** The commands a Teams command menu offers in `scope`, in table order. */
export function menuCommands(scope: ConversationScope): CommandSpec[] {
  return COMMANDS.filter((c) => c.menuScopes.includes(scope));
}

/** The table entry of a command kind. */
export function commandSpec(kind: CommandKind): CommandSpec {
  return COMMANDS.find((c) => c.kind === kind) as CommandSpec;
}

import { parseCommand as botCommand } from '../../../bot/routes/commands';
import { COMMANDS, HELP_TEXT, type ParsedCommand, parseCommand } from '../../../src/commands';
import { createDeterministicRouter, explicitIntent, type Intent } from '../../../src/llm';

/**
 * One vocabulary (issue 16): the command table in src/commands is the only place that decides which
 * words are a command. The bot answers its commands from it, the routers' explicit intents come from it,
 * and help lists it; these tests fail when any of them says something the table does not.
 */
const router = createDeterministicRouter();

/** The intent the agents must route a table command to (undefined: the bot answers it, the agents never see it). */
function expectedIntent(command: ParsedCommand): Intent | undefined {
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

/** Both routers' former phrasings, near misses and ordinary requests: the router must agree with the table on each. */
const CORPUS = [
  ...COMMANDS.flatMap((c) => c.examples),
  '', '  ', 'help', 'HELP', '?', 'what can you do', 'what can you do?', 'commands',
  'new', 'new chat', 'New conversation', 'new   conversation', 'reset', 'start over', 'sign out', 'signout', 'log out', 'logout',
  'memory', 'memories', 'memory list', 'list memories', 'show my memories', 'show me your memories', 'list my memories?',
  'what do you remember', 'what do you remember about me?', 'what do you know about me', 'what do you know',
  'remember that my region is West', 'remember I prefer charts', 'remember', 'remember   ',
  'forget 3', 'forget #3', 'forget   all', 'forget everything', 'forget everything.', 'forget it all', 'forget all memories',
  'forget my region', 'forget that my region is West!', 'forget about charts', 'forget', 'forget 12345',
  'help me find orders', 'how many orders were cancelled in 2024?', 'delete the cancelled orders in East', 'what do you think',
  'requests', 'my requests', 'show my requests', 'list my change requests?', 'pending approvals', 'requests for approval of orders',
  'memory usage by cluster', 'sign out of the app', 'new orders this week', 'please forget all',
];

describe('one vocabulary: the command table, the routers, the bot and help agree', () => {
  it('when a table command\'s example is typed, then it is that command', () => {
    for (const spec of COMMANDS) {
      expect(spec.examples.length).toBeGreaterThan(0);
      for (const text of spec.examples) expect({ text, kind: parseCommand(text)?.kind }).toEqual({ text, kind: spec.kind });
    }
  });

  it.each(CORPUS.map((text) => [text]))('when the message is %j, then the deterministic router routes it as the command table says', async (text) => {
    const command = parseCommand(text);
    const expected = command === undefined ? undefined : expectedIntent(command);
    expect(explicitIntent(text)).toEqual(expected);
    if (expected !== undefined) expect(await router.route(text, { memories: [] })).toEqual(expected);
  });

  it.each(CORPUS.map((text) => [text]))('when the message is %j, then the bot answers it itself exactly when it is a table command no agent needs', (text) => {
    const command = parseCommand(text);
    const agentsNeeded = command?.kind === 'remember' || (command?.kind === 'forget' && typeof command.which === 'object');
    expect(botCommand(text)).toEqual(command === undefined || agentsNeeded ? undefined : command);
  });

  it('when a command is in the table, then either the bot or the router answers every one of its examples', () => {
    for (const spec of COMMANDS) {
      for (const text of spec.examples) {
        const answered = botCommand(text) !== undefined || explicitIntent(text) !== undefined;
        expect({ command: spec.kind, text, answered }).toEqual({ command: spec.kind, text, answered: true });
      }
    }
  });

  it('when help is shown, then it has one line per table command, and every form it shows in bold is that command', () => {
    const lines = HELP_TEXT.split('\n');
    for (const spec of COMMANDS) {
      const line = lines.find((l) => l === `- ${spec.usage}: ${spec.description}`);
      expect({ command: spec.kind, inHelp: line !== undefined }).toEqual({ command: spec.kind, inHelp: true });
      const shown = [...spec.usage.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!);
      expect(shown.length).toBeGreaterThan(0);
      for (const text of shown) expect({ text, kind: parseCommand(text)?.kind }).toEqual({ text, kind: spec.kind });
    }
  });

  it('when help is shown, then every command it names in bold is a table command (no command help offers that nobody routes)', () => {
    const commandLines = HELP_TEXT.split('\n').filter((l) => /^- \*\*[^*"]+\*\*/.test(l));
    expect(commandLines.length).toBe(COMMANDS.length);
    for (const line of commandLines) {
      const first = /^- \*\*([^*]+)\*\*/.exec(line)![1]!;
      expect({ line, command: parseCommand(first) !== undefined }).toEqual({ line, command: true });
    }
  });
});

import { type ParsedCommand, parseCommand as parseAnyCommand } from '../../src/commands';

/**
 * The commands the bot answers itself, without an agent run. `remember`, and `forget` by phrase, go to
 * the agents (phrase matching lives with the memory store), recognised there from the same table.
 */
export type Command = Exclude<ParsedCommand, { kind: 'remember' } | { kind: 'forget' }> | { kind: 'forget'; which: number | 'all' };

function isBotCommand(command: ParsedCommand): command is Command {
  if (command.kind === 'remember') return false;
  return command.kind !== 'forget' || typeof command.which !== 'object';
}

/** Recognises the bot's own commands (src/commands); everything else goes to the agents. */
export function parseCommand(text: string): Command | undefined {
  const command = parseAnyCommand(text);
  return command !== undefined && isBotCommand(command) ? command : undefined;
}

import type { RequestContext } from '../../src/context/request-context';
import type { HostTurn } from '../turns/host-turn';
import type { BotDeps } from '../turns/deps';
import { startCommandTurn } from './background-turn';
import type { Command } from './commands';
import { startRequestsTurn } from './requests';
import { runSpaceCommand } from './space-commands';

/**
 * Commands that read Databricks or Microsoft Graph as the person (the approvers-group check of
 * `requests` uses their own token): without a session they ask for sign-in first, and the sign-in
 * replays them as commands, not questions. One dispatch for both places.
 */
export type SessionCommand = Extract<Command, { kind: 'requests' | 'space' | 'history' }>;

export function isSessionCommand(command: Command | undefined): command is SessionCommand {
  return command?.kind === 'requests' || command?.kind === 'space' || command?.kind === 'history';
}

export function startSessionCommand(turn: HostTurn, ctx: RequestContext, deps: BotDeps, command: SessionCommand): void {
  if (command.kind === 'requests') return startRequestsTurn(turn, ctx, deps);
  startCommandTurn(turn, ctx, deps, () => runSpaceCommand(command, ctx, deps), command.kind === 'history');
}

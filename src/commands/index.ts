export {
  ALL_SCOPES,
  COMMANDS,
  commandSpec,
  menuCommands,
  parseCommand,
  type CommandKind,
  type CommandPhrasing,
  type CommandSpec,
  type ConversationScope,
  type ParsedCommand,
} from './commands';
export { HELP_TEXT } from './help-text';
export { forgotText } from './replies';

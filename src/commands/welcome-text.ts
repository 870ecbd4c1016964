/**
 * What the bot says when it is installed and on `help`: short, and different for a 1:1 chat, a group
 * chat and a channel. The command lines come from the one command table (./commands.ts).
 */
import type { ConversationKind } from '../context/request-context';
import { COMMANDS } from './commands';

/** Starters that need no token and fit any space (Genie answers them from the space's own metadata). */
export const GENERIC_STARTERS = ['What data can I ask about here?', 'Which tables does this space use?'] as const;

export const MAX_STARTERS = 4;

export interface WelcomeSpace {
  title: string;
  description: string;
  /** The space's sample questions where this user may read them; undefined otherwise. */
  sampleQuestions: string[] | undefined;
}

export interface WelcomeContent {
  title: string;
  intro: string;
  space: { title: string; description: string } | undefined;
  starters: string[];
  commands: string[];
  footer: string;
}

const INTRO: Record<ConversationKind, string> = {
  personal: 'I answer questions about your Databricks data with Genie, and run changes you approve, always as you.',
  groupChat: 'Mention me with a question about your Databricks data. Each person is answered with their own access; results stay private to the asker until they share them.',
  channel: 'Mention me with a question about your Databricks data. Each person is answered with their own access. Sign in once in a 1:1 chat with me first.',
};

/** Commands worth a line in each kind of conversation (all are understood everywhere). */
const COMMANDS_BY_KIND: Record<ConversationKind, readonly string[]> = {
  personal: ['space', 'history', 'requests', 'new conversation', 'memory list', 'sign out'],
  groupChat: ['space', 'history', 'help'],
  channel: ['space', 'help'],
};

/**
 * `space` is shown only when it was read with the user's own token in their 1:1 chat: a group chat or
 * channel card is seen by members whose access differs, and on install there may be no user token.
 */
export function welcomeContent(kind: ConversationKind, userName: string, space: WelcomeSpace | undefined): WelcomeContent {
  const samples = (space?.sampleQuestions ?? []).filter((q) => q.trim() !== '');
  const title = kind === 'personal' ? `Hi ${userName}!` : 'Hi everyone!';
  return {
    title,
    intro: INTRO[kind],
    space: space ? { title: space.title, description: space.description } : undefined,
    starters: (samples.length > 0 ? samples : [...GENERIC_STARTERS]).slice(0, MAX_STARTERS),
    commands: COMMANDS.filter((c) => COMMANDS_BY_KIND[kind].includes(c.title)).map((c) => `${c.usage}: ${c.description}`),
    footer: kind === 'personal' ? 'Say **help** any time to see this again.' : 'Say **@bot help** any time to see this again.',
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from '../../../../bot/routes/commands';
import { COMMANDS, type CommandKind } from '../../../../src/commands';
import { ALICE, buildCardAction, buildMessage, type Where } from '../../../fakes/bot-activities';
import { createBotHarness } from '../../../fakes/bot-harness';
import { buildGenieAnswer } from '../../../fakes/bot-ports';
import { projectPath } from './project';

/**
 * What the bot really does, found by running the real teams-ai Application (bot/adapters/teams-ai/app.ts, through the
 * recording adapter) in each Teams conversation type, and by reading bot/ for Teams features that
 * need a manifest declaration. The manifest capability test compares this with appPackage/manifest.json.
 */
export const CONVERSATION_TYPES: readonly Where[] = ['personal', 'groupChat', 'channel'];

export interface SentAttachment {
  contentType: string;
  /** The conversation type it went to: the one the user wrote in, or the one the bot created for it. */
  to: Where;
}

export interface ConversationUsage {
  where: Where;
  /** The bot replied to `help` here. */
  answers: boolean;
  /** Command kind (src/commands) → answered here by the bot itself (not passed to the agents). */
  commands: Map<CommandKind, boolean>;
  /** Every attachment the bot sent or updated after a question and a press of each action its answer offers. */
  attachments: SentAttachment[];
}

function verbsOf(card: unknown): { verb: string; data: unknown }[] {
  const found: { verb: string; data: unknown }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') found.push({ verb: o.verb, data: o.data });
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** Typed forms of a command: its title, and for `forget` the argument forms. */
export function typedForms(kind: CommandKind, title: string): string[] {
  return kind === 'forget' ? [`${title} 1`, `${title} all`] : [title];
}

async function commandAnswered(where: Where, text: string, kind: CommandKind): Promise<boolean> {
  const h = createBotHarness({ signedIn: [ALICE.oid] });
  await h.send(buildMessage(text, { where }));
  return parseCommand(text)?.kind === kind && h.agents.messages.length === 0 && h.adapter.sent.length > 0;
}

export async function observeConversation(where: Where): Promise<ConversationUsage> {
  const h = createBotHarness({ signedIn: [ALICE.oid] });
  await h.send(buildMessage('help', { where }));
  const answers = h.adapter.sent.some((a) => (typeof a.text === 'string' && a.text.length > 0) || (a.attachments ?? []).length > 0);

  const commands = new Map<CommandKind, boolean>();
  for (const { kind, title } of COMMANDS) {
    const results = await Promise.all(typedForms(kind, title).map((text) => commandAnswered(where, text, kind)));
    commands.set(kind, results.every(Boolean));
  }

  h.adapter.clear();
  h.agents.onMessage = async () => ({ kind: 'genie', answer: buildGenieAnswer() });
  await h.send(buildMessage('sales by region', { where }));
  for (const { verb, data } of verbsOf(h.adapter.cards())) await h.send(buildCardAction(verb, data, { where }));
  const own = buildMessage('x', { where }).conversation?.id;
  const createdType = (id: string | undefined): Where | undefined => {
    const created = h.adapter.createdConversations.find((c) => `personal-${c.members?.[0]?.id ?? 'unknown'}` === id);
    return created === undefined ? undefined : created.isGroup === true ? 'groupChat' : 'personal';
  };
  const attachments = [...h.adapter.sent, ...h.adapter.updated].flatMap((activity) => {
    const id = activity.conversation?.id;
    const to = id === undefined || id === own ? where : createdType(id);
    if (to === undefined) throw new Error(`the bot wrote to a conversation it neither received from nor created: ${id}`);
    return (activity.attachments ?? []).map((a): SentAttachment => ({ contentType: a.contentType, to }));
  });
  return { where, answers, commands, attachments };
}

/** Every .ts file under bot/, with its text. */
export function botSources(): { path: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(projectPath(dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  return walk('bot').map((path) => ({ path, text: readFileSync(projectPath(path), 'utf8') }));
}

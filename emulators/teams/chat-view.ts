import { renderActivity, type CardButton } from './card-text';
import { streamInfoOf } from './streaming-rules';
import type { ActivityEvent } from './types';

/** Same button on a re-rendered card (renders produce new objects). */
export function sameButton(a: CardButton, b: CardButton): boolean {
  return a.type === b.type && a.title === b.title && a.verb === b.verb && JSON.stringify(a.data) === JSON.stringify(b.data);
}

export interface NumberedButton {
  number: number;
  activityId: string;
  button: CardButton;
}

/**
 * Turns connector events into terminal text: every card's buttons get session-wide numbers
 * (`/1` presses button 1), and updates are printed again marked "(updated)".
 */
export class ChatView {
  private readonly buttons = new Map<number, NumberedButton>();
  private readonly shown = new Map<string, string>();
  private next = 1;

  /** `viewer` is the object id of the person at this terminal: others' card views are not theirs to see. */
  render(event: ActivityEvent, viewer?: string): string | undefined {
    const activity = event.version.activity;
    if (event.kind === 'deleted') return `  (message ${event.record.id} deleted)`;
    if (event.version.source === 'invoke-response' && event.version.viewer !== viewer) return undefined;
    if (activity.type === 'typing') {
      const data = activity.channelData as { streamType?: unknown } | undefined;
      const streamType = streamInfoOf(activity)?.streamType ?? data?.streamType;
      return streamType === 'informative' && activity.text ? `  … ${activity.text}` : undefined;
    }
    if (activity.type !== 'message') return undefined;
    const rendered = renderActivity(activity);
    const fingerprint = JSON.stringify(rendered);
    if (event.kind === 'updated' && this.shown.get(event.record.id) === fingerprint) return undefined;
    this.shown.set(event.record.id, fingerprint);
    const header = `${activity.from?.name || 'bot'}${event.kind === 'updated' ? ' (updated)' : ''}:`;
    const lines = [header, ...rendered.lines.map((l) => `  ${l}`)];
    const numbered = rendered.buttons.map((button) => this.number(event.record.id, button));
    if (numbered.length > 0) lines.push('  ' + numbered.map((b) => `[/${b.number}] ${b.button.title}`).join('   '));
    return lines.join('\n');
  }

  button(number: number): NumberedButton | undefined {
    return this.buttons.get(number);
  }

  private number(activityId: string, button: CardButton): NumberedButton {
    const numbered = { number: this.next++, activityId, button };
    this.buttons.set(numbered.number, numbered);
    return numbered;
  }
}

export type ChatCommand =
  | { kind: 'say'; text: string }
  | { kind: 'click'; number: number }
  | { kind: 'refresh'; number: number }
  | { kind: 'signin' }
  | { kind: 'install' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'none' };

export function parseChatLine(line: string): ChatCommand {
  const text = line.trim();
  if (text === '') return { kind: 'none' };
  const click = /^\/(\d+)$/.exec(text);
  if (click) return { kind: 'click', number: Number(click[1]) };
  const refresh = /^\/refresh\s+(\d+)$/.exec(text);
  if (refresh) return { kind: 'refresh', number: Number(refresh[1]) };
  if (text === '/signin') return { kind: 'signin' };
  if (text === '/install') return { kind: 'install' };
  if (text === '/help') return { kind: 'help' };
  if (text === '/quit' || text === '/exit') return { kind: 'quit' };
  return { kind: 'say', text };
}

export const CHAT_HELP = [
  'Type a message and press Enter.',
  '  /install    add the bot to this chat as Teams does on install (you get its welcome card)',
  '  /N          press button N of a card',
  '  /refresh N  refresh the card that holds button N (as Teams does when a card is shown)',
  '  /signin     answer the last sign-in card with an SSO token exchange',
  '  Allow on a file consent card (CSV export) saves the file under .local/downloads/',
  '  /quit       leave',
].join('\n');

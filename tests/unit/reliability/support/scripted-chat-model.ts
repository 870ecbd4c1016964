/**
 * A chat model for tests that answers from a script and records every message it is sent, at the
 * `_generate` level, so invoke, batch and stream calls are all seen.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export interface SeenPrompt {
  system: string;
  human: string;
  /** Every message's text, in order. */
  all: string[];
}

export type ChatScript = (prompt: SeenPrompt) => string;

function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : JSON.stringify(part))).join('');
}

export class ScriptedChatModel extends BaseChatModel {
  readonly prompts: SeenPrompt[] = [];

  constructor(private readonly script: ChatScript) {
    super({});
  }

  _llmType(): string {
    return 'scripted';
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const all = messages.map(textOf);
    const prompt: SeenPrompt = {
      system: messages.filter((m) => m.getType() === 'system').map(textOf).join('\n'),
      human: messages.filter((m) => m.getType() === 'human').map(textOf).join('\n'),
      all,
    };
    this.prompts.push(prompt);
    const reply = this.script(prompt);
    return { generations: [{ text: reply, message: new AIMessage(reply) }] };
  }

  /** Everything the model was ever sent, as one string (for "never contains" checks). */
  everything(): string {
    return this.prompts.map((p) => p.all.join('\n')).join('\n\n');
  }
}

/** A reply in the router's JSON shape. */
export const reply = (value: Record<string, string>): string => JSON.stringify(value);

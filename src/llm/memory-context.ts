/**
 * Resolves "my <thing>" in a request from the user's memories of the form "my <thing> is <value>",
 * so "orders in my region" becomes "orders in West" when the user asked to remember that.
 */
const FACT = /^\s*my\s+([a-z][a-z ]{0,40}?)\s+(?:is|are)\s+(.{1,80}?)\s*\.?\s*$/i;

export interface Fact {
  subject: string;
  value: string;
}

export function factsFrom(memories: string[]): Fact[] {
  const facts: Fact[] = [];
  for (const memory of memories) {
    const match = FACT.exec(memory);
    if (match) facts.push({ subject: (match[1] as string).toLowerCase(), value: (match[2] as string).replace(/^(the|a|an)\s+/i, '') });
  }
  return facts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function applyMemories(text: string, memories: string[]): string {
  let out = text;
  for (const fact of factsFrom(memories)) {
    out = out.replace(new RegExp(`\\bmy\\s+${escapeRegExp(fact.subject)}(?:'s)?\\b`, 'gi'), fact.value);
  }
  return out;
}

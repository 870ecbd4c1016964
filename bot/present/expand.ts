import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as JSON. */
export type AdaptiveCard = Record<string, unknown>;

/** Teams rejects card payloads above roughly 28 KB. */
export const CARD_BYTE_LIMIT = 28 * 1024;

/**
 * Parsed templates, by template object. Preparing a template parses every `${…}` expression (about
 * 5 ms for the result card); expanding a prepared one takes about 0.1 ms. `Template.expand` is
 * synchronous and starts from a fresh context on every call, so one prepared template serves every
 * turn. Templates are the bundled JSON files: shared, never per user.
 */
const prepared = new WeakMap<object, Template>();

export function prepareTemplate(template: object): Template {
  let found = prepared.get(template);
  if (!found) {
    found = new Template(template);
    prepared.set(template, found);
  }
  return found;
}

/** Expands a Designer template with `data` and drops properties whose `$when` left them null. */
export function expand(template: object, data: object): AdaptiveCard {
  const expanded: unknown = prepareTemplate(template).expand({ $root: data });
  return labelGlyphs(dropNulls(expanded)) as AdaptiveCard;
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(dropNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

/**
 * A button whose title is only 👍 or 👎 reads as an empty box (or nothing, to a screen reader) where
 * no emoji font exists; every card's such buttons get a word beside the glyph.
 */
const GLYPH_LABELS: Record<string, string> = { '👍': '👍 Helpful', '👎': '👎 Not helpful' };

function labelGlyphs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(labelGlyphs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = labelGlyphs(v);
    const type = out.type;
    const title = typeof out.title === 'string' ? out.title.replace(/\uFE0F/g, '').trim() : undefined;
    if (typeof type === 'string' && type.startsWith('Action.') && title !== undefined && GLYPH_LABELS[title]) out.title = GLYPH_LABELS[title];
    return out;
  }
  return value;
}

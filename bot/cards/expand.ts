import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as JSON. */
export type AdaptiveCard = Record<string, unknown>;

/** Teams rejects card payloads above roughly 28 KB. */
export const CARD_BYTE_LIMIT = 28 * 1024;

/** Expands a Designer template with `data` and drops properties whose `$when` left them null. */
export function expand(template: object, data: object): AdaptiveCard {
  const expanded: unknown = new Template(template).expand({ $root: data });
  return dropNulls(expanded) as AdaptiveCard;
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

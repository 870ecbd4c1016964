import type { Activity, Attachment } from './types';
import { formatDateTimeFunctions } from './date-time-text';
import { FILE_CONSENT_CARD, FILE_INFO_CARD, renderFileConsent } from './file-consent';

/** A button a person can press on a rendered card. */
export interface CardButton {
  title: string;
  type: string;
  verb: string | undefined;
  data: unknown;
  url: string | undefined;
  /** Element ids an `Action.ToggleVisibility` shows or hides. */
  targets: string[];
}

export interface RenderedActivity {
  lines: string[];
  buttons: CardButton[];
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
export const OAUTH_CARD = 'application/vnd.microsoft.card.oauth';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Message text as a person reads it: `<at>` tags dropped, whitespace kept. */
export function plainText(text: string | undefined): string {
  return (text ?? '').replace(/<at>(.*?)<\/at>/g, '@$1').replace(/<[^>]+>/g, '');
}

/** Renders an activity (text plus every attachment) to text lines and the buttons it offers. */
export function renderActivity(activity: Activity): RenderedActivity {
  const lines: string[] = [];
  const buttons: CardButton[] = [];
  const text = plainText(activity.text).trim();
  if (text) lines.push(...text.split('\n'));
  for (const attachment of activity.attachments ?? []) {
    const rendered = renderAttachment(attachment);
    lines.push(...rendered.lines);
    buttons.push(...rendered.buttons);
  }
  return { lines, buttons };
}

export function renderAttachment(attachment: Attachment): RenderedActivity {
  const content = attachment.content;
  if (attachment.contentType === ADAPTIVE_CARD && isObject(content)) return renderAdaptiveCard(content);
  if (attachment.contentType === OAUTH_CARD && isObject(content)) {
    return {
      lines: [`[sign-in] ${str(content.text) ?? 'Sign in'}`],
      buttons: arr(content.buttons).filter(isObject).map((b) => button(str(b.title) ?? 'Sign in', str(b.type) ?? 'signin', undefined, b.value)),
    };
  }
  if (attachment.contentType === FILE_CONSENT_CARD && isObject(content)) return renderFileConsent(content, attachment.name);
  if (attachment.contentType === FILE_INFO_CARD) return { lines: [`[file ${attachment.name ?? ''} ${attachment.contentUrl ?? ''}]`], buttons: [] };
  if (isObject(content)) {
    const lines = [str(content.title), str(content.subtitle), str(content.text)].filter((s): s is string => !!s);
    const buttons = arr(content.buttons).filter(isObject).map((b) => button(str(b.title) ?? '?', str(b.type) ?? 'imBack', undefined, b.value));
    return { lines: lines.length > 0 ? lines : [`[${attachment.contentType}]`], buttons };
  }
  return { lines: [`[attachment ${attachment.name ?? attachment.contentType}${attachment.contentUrl ? ` ${attachment.contentUrl}` : ''}]`], buttons: [] };
}

export function renderAdaptiveCard(card: Json): RenderedActivity {
  const lines: string[] = [];
  const buttons: CardButton[] = [];
  renderElements(arr(card.body), lines, buttons, '');
  collectActions(arr(card.actions), buttons);
  return { lines, buttons };
}

function renderElements(elements: unknown[], lines: string[], buttons: CardButton[], indent: string): void {
  for (const element of elements.filter(isObject)) {
    if (element.isVisible === false) continue;
    renderElement(element, lines, buttons, indent);
  }
}

function renderElement(el: Json, lines: string[], buttons: CardButton[], indent: string): void {
  const type = str(el.type) ?? '';
  switch (type) {
    case 'TextBlock':
      for (const line of formatDateTimeFunctions(str(el.text) ?? '').split('\n')) lines.push(indent + line);
      return;
    case 'RichTextBlock':
      lines.push(indent + arr(el.inlines).map((i) => (isObject(i) ? str(i.text) ?? '' : str(i) ?? '')).join(''));
      return;
    case 'FactSet':
      for (const fact of arr(el.facts).filter(isObject)) lines.push(`${indent}${str(fact.title) ?? ''}: ${formatDateTimeFunctions(str(fact.value) ?? '')}`);
      return;
    case 'Table':
      renderTable(el, lines, indent);
      return;
    case 'CodeBlock':
      lines.push(`${indent}\`\`\`${str(el.language) ?? ''}`, ...(str(el.codeSnippet) ?? '').split('\n').map((l) => indent + l), `${indent}\`\`\``);
      return;
    case 'Image':
      lines.push(`${indent}[image${str(el.altText) ? `: ${str(el.altText)}` : ''}]`);
      return;
    case 'ActionSet':
      collectActions(arr(el.actions), buttons);
      return;
    case 'ColumnSet':
      for (const column of arr(el.columns).filter(isObject)) renderElements(arr(column.items), lines, buttons, indent);
      return;
    case 'Container':
    case 'Column':
      renderElements(arr(el.items), lines, buttons, indent);
      if (isObject(el.selectAction)) collectActions([el.selectAction], buttons);
      return;
    default:
      if (type.startsWith('Chart.')) {
        lines.push(`${indent}[chart ${type.slice(6)}${str(el.title) ? `: ${str(el.title)}` : ''}]`);
        return;
      }
      if (type.startsWith('Input.')) {
        lines.push(`${indent}[input ${str(el.id) ?? ''}${str(el.label) ? ` "${str(el.label)}"` : ''}]`);
        return;
      }
      lines.push(`${indent}[${type || 'element'}]`);
  }
}

function renderTable(table: Json, lines: string[], indent: string): void {
  const rows = arr(table.rows).filter(isObject).map((row) =>
    arr(row.cells).filter(isObject).map((cell) => {
      const inner: string[] = [];
      renderElements(arr(cell.items), inner, [], '');
      return inner.join(' ');
    }),
  );
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  rows.forEach((row, index) => {
    lines.push(indent + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | '));
    if (index === 0 && table.firstRowAsHeader !== false) lines.push(indent + widths.map((w) => '-'.repeat(w)).join('-+-'));
  });
}

function collectActions(actions: unknown[], buttons: CardButton[]): void {
  for (const action of actions.filter(isObject)) {
    const type = str(action.type) ?? '';
    if (type === 'Action.ShowCard' && isObject(action.card)) {
      const inner = renderAdaptiveCard(action.card);
      buttons.push(...inner.buttons);
      continue;
    }
    const targets = arr(action.targetElements).map((t) => (isObject(t) ? str(t.elementId) : str(t))).filter((t): t is string => !!t);
    buttons.push({ ...button(str(action.title) ?? str(action.verb) ?? type, type, str(action.verb), action.data, str(action.url)), targets });
  }
}

function button(title: string, type: string, verb: string | undefined, data: unknown, url?: string): CardButton {
  return { title, type, verb, data, url, targets: [] };
}

/** Text of the elements with these ids, hidden or not (what `Action.ToggleVisibility` reveals). */
export function elementsText(card: Json, ids: string[]): string[] {
  const lines: string[] = [];
  const visit = (elements: unknown[]): void => {
    for (const el of elements.filter(isObject)) {
      if (typeof el.id === 'string' && ids.includes(el.id)) renderElement({ ...el, isVisible: true }, lines, [], '');
      visit([...arr(el.items), ...arr(el.columns)]);
    }
  };
  visit(arr(card.body));
  return lines;
}

/** The Adaptive Card in an activity, if any (the first one). */
export function adaptiveCardOf(activity: Activity): Json | undefined {
  const attachment = (activity.attachments ?? []).find((a) => a.contentType === ADAPTIVE_CARD);
  return attachment && isObject(attachment.content) ? attachment.content : undefined;
}

/** All text of an activity, cards included, as one string (for assertions). */
export function activityText(activity: Activity): string {
  return renderActivity(activity).lines.join('\n');
}

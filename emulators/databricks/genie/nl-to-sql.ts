/**
 * Deterministic natural language → SQL for the emulator: the space's example questions first, then
 * schema-aware patterns. A follow-up that only refines ("only West", "top 5", "by month instead")
 * merges onto the conversation's previous plan. Anything else gets a text reply, never an error.
 */
import { EMPTY_PLAN, mergePlan, type Dimension, type PartialPlan, type QueryPlan } from './query-plan';
import { buildSql, describePlan, type SchemaNames } from './sql-builder';
import type { GenieSpaceDefinition } from './spaces';

export type Interpretation =
  | { kind: 'query'; plan: QueryPlan; sql: string; title: string; description: string; suggestions: string[] }
  | { kind: 'text'; text: string; suggestions: string[] };

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20 };
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WRITE_VERBS = /^(please\s+)?(delete|remove|update|insert|drop|truncate|alter|merge|grant|revoke|create|add|set|change|modify)\b/;
const REFINEMENT_START = /^(only|just|what about|how about|and|now|but|then|same|for|in|show (it|that|this)|break|split|make it|limit|exclude|top|bottom|instead)\b/;

export function normalize(text: string): string {
  return text.toLowerCase().replace(/[?!.,;:]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function num(token: string): number | undefined {
  const n = /^\d+$/.test(token) ? Number(token) : NUMBER_WORDS[token];
  return n !== undefined && n > 0 && n <= 1000 ? n : undefined;
}

function isoDate(year: number, month = 1, day = 1): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseDateToken(token: string, end: boolean): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) return token;
  if (/^\d{4}$/.test(token)) return end ? isoDate(Number(token) + 1) : isoDate(Number(token));
  return undefined;
}

function parseDates(q: string): Pick<PartialPlan, 'dateFrom' | 'dateTo' | 'hasDate'> {
  const date = String.raw`(\d{4}-\d{2}-\d{2}|\d{4})`;
  const between = new RegExp(String.raw`\bbetween ${date} and ${date}\b`).exec(q);
  if (between) return { hasDate: true, dateFrom: parseDateToken(between[1]!, false), dateTo: parseDateToken(between[2]!, true) };
  const quarter = /\bq([1-4]) (\d{4})\b/.exec(q);
  if (quarter) {
    const startMonth = (Number(quarter[1]) - 1) * 3 + 1;
    const year = Number(quarter[2]);
    return { hasDate: true, dateFrom: isoDate(year, startMonth), dateTo: startMonth === 10 ? isoDate(year + 1) : isoDate(year, startMonth + 3) };
  }
  const month = new RegExp(String.raw`\b(${MONTHS.join('|')}) (\d{4})\b`).exec(q);
  if (month) {
    const m = MONTHS.indexOf(month[1]!) + 1;
    const year = Number(month[2]);
    return { hasDate: true, dateFrom: isoDate(year, m), dateTo: m === 12 ? isoDate(year + 1) : isoDate(year, m + 1) };
  }
  const since = new RegExp(String.raw`\b(?:since|after|from) ${date}\b`).exec(q);
  const before = new RegExp(String.raw`\b(?:before|until|prior to) ${date}\b`).exec(q);
  if (since || before) {
    return {
      hasDate: true,
      dateFrom: since ? parseDateToken(since[1]!, /after/.test(since[0]) && since[1]!.length === 4) : undefined,
      dateTo: before ? parseDateToken(before[1]!, false) : undefined,
    };
  }
  const year = /\b(?:in|for|during|of) (\d{4})\b/.exec(q);
  if (year) return { hasDate: true, dateFrom: isoDate(Number(year[1])), dateTo: isoDate(Number(year[1]) + 1) };
  if (/\b(all time|any time|all dates)\b/.test(q)) return { hasDate: true, dateFrom: undefined, dateTo: undefined };
  return {};
}

const GROUP_WORDS: [RegExp, Dimension][] = [
  [/\b(?:by|per|each|every|for each) (?:sales )?regions?\b/, 'region'],
  [/\b(?:by|per|each|every|for each) (?:product )?categor(?:y|ies)\b/, 'category'],
  [/\b(?:by|per|each|every|for each) products?\b/, 'product'],
  [/\b(?:by|per|each|every|for each) customers?\b/, 'customer'],
  [/\b(?:by|per|each|every|for each) (?:order )?status(?:es)?\b/, 'status'],
  [/\b(?:by|per|each|every|for each) months?\b|\bmonthly\b|\bover time\b|\btrend\b|\bmonth by month\b/, 'month'],
];

function parseGroupBy(q: string, topSubject: Dimension | undefined): Dimension | null | undefined {
  for (const [pattern, dim] of GROUP_WORDS) if (pattern.test(q)) return dim;
  if (topSubject) return topSubject;
  if (/\b(overall|in total|altogether|no grouping|ungrouped)\b/.test(q)) return null;
  return undefined;
}

function parseMeasure(q: string): PartialPlan['measure'] {
  if (/\b(average|avg|mean)\b/.test(q)) return 'avg_order';
  if (/\b(units|quantity|quantities|items sold)\b/.test(q)) return 'quantity';
  if (/\bhow many customers\b|\b(number|count) of customers\b|\bcustomer count\b/.test(q)) return 'customers';
  if (/\bhow many\b|\b(number|count) of orders\b|\border count\b|\bcount\b/.test(q)) return 'orders';
  if (/\b(revenue|sales|amount|turnover|spend|spent|sold|income)\b/.test(q)) return 'revenue';
  return undefined;
}

function parseTop(q: string): { limit?: number; sort?: 'asc' | 'desc'; subject?: Dimension } {
  const m = /\b(top|bottom|best|worst|highest|lowest|biggest|smallest|largest)(?: (\d+|[a-z]+))?(?: (customers?|products?|regions?|categor(?:y|ies)|months?))?\b/.exec(q);
  if (!m) return {};
  const sort = /^(bottom|worst|lowest|smallest)$/.test(m[1]!) ? 'asc' : 'desc';
  const n = m[2] ? num(m[2]) : undefined;
  const subjectWord = m[3] ?? (m[2] && n === undefined ? m[2] : undefined);
  const subject: Dimension | undefined = subjectWord?.startsWith('customer')
    ? 'customer'
    : subjectWord?.startsWith('product')
      ? 'product'
      : subjectWord?.startsWith('region')
        ? 'region'
        : subjectWord?.startsWith('categor')
          ? 'category'
          : subjectWord?.startsWith('month')
            ? 'month'
            : undefined;
  if (n === undefined && subject === undefined && m[1] !== 'top' && m[1] !== 'bottom') return {};
  return { limit: n ?? (subject ? 10 : undefined), sort, subject };
}

/** Parses one utterance; `mentionsSubject` tells a fresh question from a bare refinement. */
export function parseUtterance(question: string, space: GenieSpaceDefinition): { partial: PartialPlan; mentionsSubject: boolean } {
  const q = normalize(question);
  const partial: PartialPlan = {};
  const top = parseTop(q);
  const measure = parseMeasure(q);
  if (measure) partial.measure = measure;
  const groupBy = parseGroupBy(q, top.subject);
  if (groupBy !== undefined) partial.groupBy = groupBy;
  if (top.limit !== undefined) partial.limit = top.limit;
  if (top.sort) partial.sort = top.sort;
  const listOrders = /\b(show|list|display|give me|latest|recent|last)\b.*\borders\b/.test(q) && !measure && groupBy === undefined;
  const listCustomers = /\b(show|list|display|give me|who are)\b.*\bcustomers\b/.test(q) && !measure && groupBy === undefined && top.limit === undefined;
  if (listOrders) partial.kind = 'order_list';
  else if (listCustomers || /\bcustomer emails?\b/.test(q)) partial.kind = 'customer_list';
  const latest = /\b(?:latest|last|recent|first) (\d+|[a-z]+)\b/.exec(q);
  if (partial.kind && latest && num(latest[1]!) !== undefined) partial.limit = num(latest[1]!);

  if (/\ball regions\b|\bevery region\b|\bany region\b/.test(q)) partial.regions = [];
  else {
    const regions = space.vocabulary.regions.filter((r) => new RegExp(`\\b${r.toLowerCase()}\\b`).test(q));
    if (regions.length > 0) partial.regions = regions;
  }
  if (/\ball statuses\b|\bany status\b/.test(q)) partial.statuses = [];
  else {
    const statuses = Object.entries(space.vocabulary.statuses)
      .filter(([, words]) => words.some((w) => new RegExp(`\\b${w}\\b`).test(q)))
      .map(([canonical]) => canonical);
    if (statuses.length > 0) partial.statuses = statuses;
  }
  Object.assign(partial, parseDates(q));
  const mentionsSubject =
    partial.kind !== undefined || (partial.measure !== undefined && /\b(orders?|sales|revenue|customers|products?|units|quantity|amount)\b/.test(q));
  return { partial, mentionsSubject };
}

function isRefinement(question: string): boolean {
  const q = normalize(question);
  return REFINEMENT_START.test(q) || /\binstead\b/.test(q);
}

function suggestionsFor(plan: QueryPlan | undefined, space: GenieSpaceDefinition): string[] {
  if (!plan) return space.examples.slice(0, 3).map((e) => e.question);
  const out: string[] = [];
  if (plan.groupBy !== 'month') out.push('Show this by month instead');
  if (plan.groupBy !== 'region') out.push('Break this down by region');
  const other = space.vocabulary.regions.find((r) => !plan.regions.includes(r));
  if (other) out.push(`What about ${other}?`);
  if (plan.groupBy && plan.limit === undefined) out.push('Only the top 5');
  return out.slice(0, 3);
}

export function interpret(question: string, previous: QueryPlan | undefined, space: GenieSpaceDefinition, names: SchemaNames): Interpretation {
  const q = normalize(question);
  if (WRITE_VERBS.test(q)) {
    return {
      kind: 'text',
      text: 'I can only answer questions about the data in this space; I cannot change data. Ask a question instead, for example about sales or orders.',
      suggestions: suggestionsFor(undefined, space),
    };
  }
  const example = space.examples.find((e) => normalize(e.question) === q);
  let plan: QueryPlan | undefined;
  if (example) plan = example.plan;
  else {
    const { partial, mentionsSubject } = parseUtterance(question, space);
    const hasAnything = Object.keys(partial).length > 0;
    if (previous && hasAnything && (!mentionsSubject || isRefinement(question))) plan = mergePlan(previous, partial);
    else if (mentionsSubject) plan = mergePlan(EMPTY_PLAN, partial);
  }
  if (!plan) {
    return {
      kind: 'text',
      text: `I could not match "${question.trim().slice(0, 200)}" to the data in this space. Please rephrase it, for example: "${space.examples[0]?.question ?? 'What are total sales by region?'}"`,
      suggestions: suggestionsFor(undefined, space),
    };
  }
  const { title, description } = describePlan(plan);
  return { kind: 'query', plan, sql: buildSql(plan, names), title, description, suggestions: suggestionsFor(plan, space) };
}

/**
 * What a Genie message holds besides one query: several query attachments for a question that asks
 * for two things, a clarification question (a text attachment with `purpose: FOLLOW_UP_QUESTION`,
 * databricks-sdk-py `dashboards.TextAttachmentPurpose`), and one question whose answer is larger
 * than the 5,000 rows Genie returns inline (one row per unit sold), for the full-result download.
 * Rule-based and deterministic, on top of `interpret` (nl-to-sql.ts).
 */
import { aboutSpace } from './space-questions';
import { interpret, normalize, type Interpretation } from './nl-to-sql';
import { EMPTY_PLAN, type QueryPlan } from './query-plan';
import { CATALOG_SCHEMA, type SchemaNames } from './sql-builder';
import type { GenieSpaceDefinition } from './spaces';

export interface PlannedQuery {
  plan: QueryPlan;
  sql: string;
  title: string;
  description: string;
}

export interface RichAnswer {
  text: { content: string; purpose?: 'FOLLOW_UP_QUESTION' } | undefined;
  queries: PlannedQuery[];
  suggestions: string[];
}

/** "…, and also …" / "…; also …" asks for two things. */
const TWO_THINGS = /\s*(?:,?\s+and also\s+|;\s*also\s+)/i;
const VAGUE = /^(?:show|give|tell|get)(?: me)? (?:the |some )?(?:numbers|data|figures|stats|statistics|results)$/;
const EVERY_UNIT = /\b(?:every unit|each unit|one row per unit|unit by unit)\b/;

/** One row per unit sold (orders × 1..quantity): ~5,500 rows of West for alice, ~27,500 for all regions. */
function everyUnitQuery(): PlannedQuery {
  const units = Array.from({ length: 10 }, (_, i) => `(${i + 1})`).join(', ');
  return {
    plan: { ...EMPTY_PLAN, kind: 'order_list' },
    sql:
      `SELECT o.order_id, o.order_date, o.region, o.product_id, u.unit_number\n` +
      `FROM ${CATALOG_SCHEMA}.orders o\nCROSS JOIN (VALUES ${units}) AS u(unit_number)\n` +
      `WHERE u.unit_number <= o.quantity\nORDER BY o.order_id, u.unit_number`,
    title: 'Every unit sold',
    description: 'Lists one row per unit sold: each order repeated once for every unit of its quantity.',
  };
}

export function interpretRich(question: string, previous: QueryPlan | undefined, space: GenieSpaceDefinition, names: SchemaNames): RichAnswer {
  // A space with its own interpreter (the HR space) answers everything itself.
  const interpretOne = (text: string): Interpretation => (space.interpret ? space.interpret(text) : interpret(text, previous, space, names));
  const about = aboutSpace(question, space);
  if (about) return richOf(about);
  if (space.interpret) return richOf(interpretOne(question));
  const q = normalize(question);
  if (VAGUE.test(q)) {
    return {
      text: { content: 'Which numbers do you mean: total sales, the number of orders, or units sold? And for which region or period?', purpose: 'FOLLOW_UP_QUESTION' },
      queries: [],
      suggestions: ['What are total sales by region?', 'How many orders are pending?', 'How many units were sold by month?'],
    };
  }
  if (EVERY_UNIT.test(q)) return { text: undefined, queries: [everyUnitQuery()], suggestions: ['What are total sales by region?'] };
  const parts = question.split(TWO_THINGS).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 2) {
    const answers = parts.map(interpretOne);
    const queries = answers.flatMap((a) => (a.kind === 'query' ? [{ plan: a.plan, sql: a.sql, title: a.title, description: a.description }] : []));
    if (queries.length === 2) {
      return { text: { content: 'You asked for two things, so here are two results.' }, queries, suggestions: answers[1]?.suggestions ?? [] };
    }
  }
  return richOf(interpretOne(question));
}

function richOf(single: Interpretation): RichAnswer {
  if (single.kind === 'text') return { text: { content: single.text }, queries: [], suggestions: single.suggestions };
  return { text: undefined, queries: [{ plan: single.plan, sql: single.sql, title: single.title, description: single.description }], suggestions: single.suggestions };
}

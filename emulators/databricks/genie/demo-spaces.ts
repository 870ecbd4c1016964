/**
 * The emulator's demo spaces besides retail: `People (HR)` over `main.hr` (carol manages it, bob may
 * run it, alice has no entry) and `Retail sandbox`, which only carol can see and which the bot's demo
 * allow-list leaves out (so the allow-list, not Genie, hides it).
 */
import type { Interpretation } from './nl-to-sql';
import { normalize } from './nl-to-sql';
import { RETAIL_SPACE, type GenieSpaceDefinition } from './spaces';

export const HR_SPACE_ID = '01ef00000000000000000000000000e2';
export const SANDBOX_SPACE_ID = '01ef00000000000000000000000005b0';

const HR_SUGGESTIONS = ['What is the headcount by department?', 'Who joined after 2022?', 'List all employees'];

/** A few deterministic HR questions → SQL over `main.hr.employees`; anything else gets a text reply. */
export function interpretHr(question: string): Interpretation {
  const q = normalize(question);
  const suggestions = HR_SUGGESTIONS.filter((s) => normalize(s) !== q);
  if (/\b(headcount|how many)\b/.test(q) && /\bdepartments?\b/.test(q)) {
    return {
      kind: 'query',
      plan: RETAIL_SPACE.examples[0]!.plan,
      sql: 'SELECT department, COUNT(*) AS headcount\nFROM main.hr.employees\nGROUP BY department\nORDER BY department',
      title: 'Headcount by department',
      description: 'Counts employees in each department.',
      suggestions,
    };
  }
  const joined = /\b(joined|hired)\s+(?:after|since)\s+(\d{4})\b/.exec(q);
  if (joined || /\b(employees?|staff|people)\b/.test(q)) {
    const where = joined ? `\nWHERE hire_date >= DATE '${Number(joined[2]) + 1}-01-01'` : '';
    return {
      kind: 'query',
      plan: RETAIL_SPACE.examples[0]!.plan,
      sql: `SELECT employee_id, name, department, title, hire_date\nFROM main.hr.employees${where}\nORDER BY employee_id`,
      title: joined ? `Employees hired after ${joined[2]}` : 'Employees',
      description: 'Lists employees with their department, title and hire date.',
      suggestions,
    };
  }
  return { kind: 'text', text: 'I can answer questions about employees, departments and hire dates.', suggestions };
}

export const HR_SPACE: GenieSpaceDefinition = {
  spaceId: HR_SPACE_ID,
  title: 'People (HR)',
  description: 'Employees, departments and hire dates.',
  warehouseId: RETAIL_SPACE.warehouseId,
  permissions: [
    { principal: 'user:carol@contoso.example', level: 'CAN_MANAGE' },
    { principal: 'user:bob@contoso.example', level: 'CAN_RUN' },
  ],
  sampleQuestions: HR_SUGGESTIONS,
  interpret: interpretHr,
  tables: ['main.hr.employees'],
  instructions: ['Headcount means COUNT(*) of employees.'],
  vocabulary: { regions: [], statuses: {} },
  examples: [],
};

export const SANDBOX_SPACE: GenieSpaceDefinition = {
  ...RETAIL_SPACE,
  spaceId: SANDBOX_SPACE_ID,
  title: 'Retail sandbox',
  description: 'Experiments on the retail tables (not offered by the bot).',
  permissions: [{ principal: 'user:carol@contoso.example', level: 'CAN_MANAGE' }],
};

export const DEFAULT_SPACES: GenieSpaceDefinition[] = [RETAIL_SPACE, HR_SPACE, SANDBOX_SPACE];

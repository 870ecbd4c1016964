/**
 * The e2e suite runs once per bot host (`BOT_HOST=teams-ai`, the default run, then `BOT_HOST=agents`).
 * This compares the two jest `--json` results: the e2e counts of each, and every e2e test whose
 * outcome differs between the hosts. A difference is a failure, never a note (issue 19).
 */
interface AssertionResult {
  status?: string;
  ancestorTitles?: string[];
  title?: string;
}

interface FileResult {
  name?: string;
  assertionResults?: AssertionResult[];
}

export interface HostCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface HostParity {
  teamsAi: HostCounts;
  agents: HostCounts;
  /** `file › title: teams-ai <status>, agents <status>` for each e2e test whose outcome differs. */
  differences: string[];
}

const E2E_DIR = '/tests/e2e/';

/** Test id → status for the e2e files of one result (ids are repository-relative, so two runs compare). */
function e2eOutcomes(result: unknown): Map<string, string> {
  const files = (result as { testResults?: FileResult[] }).testResults ?? [];
  const outcomes = new Map<string, string>();
  for (const file of files) {
    const at = (file.name ?? '').indexOf(E2E_DIR);
    if (at < 0) continue;
    const path = (file.name as string).slice(at + 1);
    for (const a of file.assertionResults ?? []) outcomes.set(`${path} › ${[...(a.ancestorTitles ?? []), a.title ?? ''].join(' › ')}`, a.status ?? 'unknown');
  }
  return outcomes;
}

function countsOf(outcomes: Map<string, string>): HostCounts {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const status of outcomes.values()) {
    if (status === 'passed') counts.passed += 1;
    else if (status === 'failed') counts.failed += 1;
    else counts.skipped += 1;
  }
  return counts;
}

export function hostParity(defaultRun: unknown, agentsRun: unknown): HostParity {
  const teamsAi = e2eOutcomes(defaultRun);
  const agents = e2eOutcomes(agentsRun);
  const differences: string[] = [];
  for (const id of new Set([...teamsAi.keys(), ...agents.keys()])) {
    const a = teamsAi.get(id) ?? 'not run';
    const b = agents.get(id) ?? 'not run';
    if (a !== b) differences.push(`${id}: teams-ai ${a}, agents ${b}`);
  }
  return { teamsAi: countsOf(teamsAi), agents: countsOf(agents), differences };
}

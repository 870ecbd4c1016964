/**
 * The skipped tests of a jest (or vitest) `--json` result, grouped by their outermost describe: the
 * browser test puts its skip reason in that title, so the closing summary can say why in one line.
 */
interface AssertionResult {
  status?: string;
  ancestorTitles?: string[];
  title?: string;
}

const SKIPPED = new Set(['pending', 'skipped', 'todo', 'disabled']);

export function skippedGroups(result: unknown): { title: string; count: number }[] {
  const files = (result as { testResults?: { assertionResults?: AssertionResult[] }[] }).testResults ?? [];
  const counts = new Map<string, number>();
  for (const a of files.flatMap((f) => f.assertionResults ?? [])) {
    if (!SKIPPED.has(a.status ?? '')) continue;
    const title = a.ancestorTitles?.[0] ?? a.title ?? '(untitled)';
    counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  return [...counts].map(([title, count]) => ({ title, count }));
}

/**
 * DATABRICKS_GENIE_SPACE_IDS: Genie space ids are 32 hex characters (e.g. `01ef…a1e`, the id in a
 * space's URL); an empty entry or a duplicate is a typo. Every problem is reported, then the list is empty.
 */
export function parseSpaceIds(name: string, raw: string, problem: (message: string) => void): string[] {
  if (raw.trim() === '') return [];
  const ids = raw.split(',').map((s) => s.trim());
  const bad = ids.filter((id) => !/^[0-9a-f]{32}$/i.test(id));
  if (bad.length > 0) problem(`${name}: each entry must be a Genie space id of 32 hex characters, got ${bad.map((b) => `"${b}"`).join(', ')}`);
  const lower = ids.map((id) => id.toLowerCase());
  const dup = lower.find((id, i) => lower.indexOf(id) !== i);
  if (dup) problem(`${name}: "${dup}" is listed twice`);
  return bad.length > 0 || dup ? [] : lower;
}

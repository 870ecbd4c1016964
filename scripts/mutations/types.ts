/**
 * One protection-off experiment: the patch removes the protection a row of
 * docs/reliability-results.md claims, and the named test must then fail.
 */
export interface Patch {
  /** Path relative to the repository root (node_modules files are allowed: the SDK's own checks). */
  file: string;
  /** Exact text that must occur exactly once in `file`; the script stops if it does not. */
  search: string;
  replace: string;
}

export interface NamedTest {
  /** Test file relative to the repository root. */
  file: string;
  /** Jest `-t` pattern (a regular expression over the full test name); the whole file when absent. */
  name?: string;
}

export type Tier = 'unit' | 'integration' | 'e2e';

export interface Mutation {
  /** The row of docs/reliability-results.md (§4 case number, or an issue-11 row name). */
  case: string;
  /** The protection that the patch removes, in a few words. */
  protection: string;
  patches: Patch[];
  test: NamedTest;
  tier: Tier;
  /** Part of `--quick` (unit speed, for CI). */
  quick?: boolean;
  /** Why the row may be re-pointed (e.g. code being rewritten by another issue). */
  note?: string;
}

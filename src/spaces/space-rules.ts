/**
 * Pure rules of the Genie space choice: which spaces the bot offers (the default plus the
 * allow-list, whatever else a user can see), and which offered space a typed name means.
 */
import type { GenieSpaceInfo } from '../databricks/genie-spaces';

export interface SpaceSettings {
  defaultSpaceId: string;
  /** DATABRICKS_GENIE_SPACE_IDS; empty means the default space only. */
  allowList: readonly string[];
}

export function isOffered(settings: SpaceSettings, spaceId: string): boolean {
  const id = spaceId.toLowerCase();
  return id === settings.defaultSpaceId.toLowerCase() || settings.allowList.some((a) => a.toLowerCase() === id);
}

/** The spaces a user sees that the bot offers, default first, then by title. */
export function offeredSpaces(settings: SpaceSettings, visible: readonly GenieSpaceInfo[]): GenieSpaceInfo[] {
  const isDefault = (s: GenieSpaceInfo): boolean => s.spaceId.toLowerCase() === settings.defaultSpaceId.toLowerCase();
  return visible
    .filter((s) => isOffered(settings, s.spaceId))
    .sort((a, b) => Number(isDefault(b)) - Number(isDefault(a)) || a.title.localeCompare(b.title));
}

export type NameMatch = { kind: 'one'; space: GenieSpaceInfo } | { kind: 'none' } | { kind: 'many'; titles: string[] };

const fold = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** By id, then exact title (ignoring case and punctuation), then a unique title containing every typed word. */
export function matchSpace(spaces: readonly GenieSpaceInfo[], typed: string): NameMatch {
  const wanted = fold(typed);
  if (wanted === '') return { kind: 'none' };
  const byId = spaces.find((s) => s.spaceId.toLowerCase() === typed.trim().toLowerCase());
  if (byId) return { kind: 'one', space: byId };
  const exact = spaces.filter((s) => fold(s.title) === wanted);
  if (exact.length === 1) return { kind: 'one', space: exact[0]! };
  const words = wanted.split(' ');
  const partial = exact.length > 1 ? exact : spaces.filter((s) => words.every((w) => fold(s.title).split(' ').some((t) => t.startsWith(w))));
  if (partial.length === 1) return { kind: 'one', space: partial[0]! };
  return partial.length === 0 ? { kind: 'none' } : { kind: 'many', titles: partial.map((s) => s.title) };
}

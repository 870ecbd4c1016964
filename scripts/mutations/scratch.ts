/**
 * The scratch copy the mutations run in: the repository's files copied to a temporary directory,
 * node_modules hard-linked (fast, no space). The worktree is never written to. Patched files are
 * replaced (unlink, then write a new file), never written in place, so a hard link back to the
 * worktree's node_modules is never modified; restoring writes the original text the same way.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Patch } from './types';

export class PatchMismatch extends Error {}

/** Checks that `search` occurs exactly once in `text`; throws a PatchMismatch naming the file otherwise. */
export function applyPatchText(text: string, patch: Patch): string {
  const first = text.indexOf(patch.search);
  if (first < 0) throw new PatchMismatch(`${patch.file}: the snippet to replace no longer matches:\n${patch.search}`);
  if (text.indexOf(patch.search, first + 1) >= 0) throw new PatchMismatch(`${patch.file}: the snippet to replace occurs more than once:\n${patch.search}`);
  return text.slice(0, first) + patch.replace + text.slice(first + patch.search.length);
}

/** Verifies every patch against `root` (the worktree) without writing anything. */
export function verifyPatches(root: string, patches: Patch[]): void {
  const texts = new Map<string, string>();
  for (const patch of patches) {
    const path = join(root, patch.file);
    if (!existsSync(path)) throw new PatchMismatch(`${patch.file}: no such file`);
    texts.set(patch.file, applyPatchText(texts.get(patch.file) ?? readFileSync(path, 'utf8'), patch));
  }
}

function replaceFile(path: string, text: string): void {
  if (existsSync(path)) unlinkSync(path);
  writeFileSync(path, text);
}

export interface Scratch {
  dir: string;
  /** Applies the patches; returns a function that puts the original files back. */
  apply(patches: Patch[]): () => void;
  remove(): void;
}

export function createScratch(root: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'mutations-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  execFileSync('cp', ['-al', join(root, 'node_modules'), join(dir, 'node_modules')]);
  if (existsSync(join(root, '.local/dev-ca'))) cpSync(join(root, '.local/dev-ca'), join(dir, '.local/dev-ca'), { recursive: true });
  return {
    dir,
    apply(patches) {
      const originals = new Map<string, string>();
      try {
        for (const patch of patches) {
          const path = join(dir, patch.file);
          const text = readFileSync(path, 'utf8');
          if (!originals.has(path)) originals.set(path, text);
          replaceFile(path, applyPatchText(text, patch));
        }
      } catch (error) {
        for (const [path, text] of originals) replaceFile(path, text);
        throw error;
      }
      return () => {
        for (const [path, text] of originals) replaceFile(path, text);
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

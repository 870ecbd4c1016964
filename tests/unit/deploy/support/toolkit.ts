/**
 * Reads a toolkit lifecycle file (teamsapp.yml) the way the toolkit runs it: steps in order, each
 * step's `${{VAR}}`s (in its own inputs and in the files it renders) resolved from the env file and
 * from what earlier steps wrote.
 */
import { dirname, join, normalize } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readBicep } from './bicep';
import { placeholdersIn, readText } from './project';

export interface Step {
  uses: string;
  with: Record<string, unknown>;
  writeToEnvironmentFile: Record<string, string>;
  env: Record<string, string>;
}

export type Lifecycle = 'provision' | 'deploy' | 'publish';

export type LifecycleFile = Partial<Record<Lifecycle, Step[]>> & { version: string; environmentFolderPath?: string };

export function readLifecycleFile(path: string): LifecycleFile {
  const doc = parseYaml(readText(path)) as LifecycleFile;
  for (const lifecycle of ['provision', 'deploy', 'publish'] as const) {
    doc[lifecycle] = (doc[lifecycle] ?? []).map((s) => ({ ...s, with: s.with ?? {}, writeToEnvironmentFile: s.writeToEnvironmentFile ?? {}, env: s.env ?? {} }));
  }
  return doc;
}

const IMPLICIT_OUTPUTS: Record<string, string[]> = {
  'teamsApp/create': ['TEAMS_APP_TENANT_ID'],
  'teamsApp/update': ['TEAMS_APP_TENANT_ID', 'TEAMS_APP_UPDATE_TIME'],
  'aadApp/update': ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'],
};

/** `node ./x.mjs` → `x.mjs` (project-relative) when the script step runs a file. */
export function scriptFileOf(step: Step): string | undefined {
  const run = String(step.with.run ?? '');
  const m = /^node (\S+\.m?js)\b/.exec(run.trim());
  return m ? normalize(m[1]!) : undefined;
}

/** Files a step reads (they must exist). Paths are project-relative. */
export function inputFilesOf(step: Step): string[] {
  const files: string[] = [];
  if (typeof step.with.manifestPath === 'string') files.push(step.with.manifestPath);
  const templates = (step.with.templates ?? []) as { path: string; parameters: string }[];
  for (const t of templates) files.push(t.path, t.parameters);
  const script = scriptFileOf(step);
  if (script) files.push(script);
  return files.map((f) => normalize(f));
}

/** What a step writes to the env file, per the toolkit's documented behaviour. */
export function outputsOf(step: Step): string[] {
  const outputs = [...Object.values(step.writeToEnvironmentFile), ...(IMPLICIT_OUTPUTS[step.uses] ?? [])];
  if (step.uses === 'arm/deploy') {
    const templates = step.with.templates as { path: string }[];
    for (const t of templates) outputs.push(...[...readBicep(normalize(t.path)).outputs.keys()].map((n) => n.toUpperCase().replace(/[^A-Z0-9]/g, '_')));
  }
  const script = scriptFileOf(step);
  if (script) outputs.push(...[...readText(script).matchAll(/::set-teamsfx-env (\w+)=/g)].map((m) => m[1]!));
  return outputs;
}

/** Every `${{VAR}}` a step needs: in its own inputs and in the files it renders. */
export function placeholdersOf(step: Step): string[] {
  const own = placeholdersIn(JSON.stringify({ with: step.with, env: step.env }));
  const rendered = inputFilesOf(step).filter((f) => /\.json$/.test(f)).flatMap((f) => placeholdersIn(readText(f)));
  return [...new Set([...own, ...rendered])];
}

/** Files the manifest itself points at (icons), project-relative. */
export function manifestAssets(manifestPath: string, manifest: { icons: Record<string, string> }): string[] {
  return Object.values(manifest.icons).map((icon) => normalize(join(dirname(manifestPath), icon)));
}

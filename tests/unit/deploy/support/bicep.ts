/**
 * Focused readers for the Bicep we write (`az bicep build` cannot run here): declarations at
 * column 0, one property per line, single-quoted strings, two-space indentation.
 */
import { dirname, join } from 'node:path';
import { readText } from './project';

export interface BicepParam {
  type: string;
  /** Literal default when it is a plain string or number; `null` for an expression; absent: required. */
  defaultValue?: string | null;
  secure: boolean;
}

export interface BicepModule {
  symbol: string;
  path: string;
  /** Parameter name → expression passed. */
  params: Map<string, string>;
}

export interface BicepFile {
  path: string;
  text: string;
  params: Map<string, BicepParam>;
  outputs: Map<string, string>;
  modules: BicepModule[];
}

function parseParams(text: string): Map<string, BicepParam> {
  const params = new Map<string, BicepParam>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^param (\w+) (\w+)(?: = (.+))?$/.exec(line.trimEnd());
    if (!m) return;
    const decorators: string[] = [];
    for (let j = i - 1; j >= 0 && lines[j]!.startsWith('@'); j -= 1) decorators.push(lines[j]!);
    const raw = m[3];
    const literal = raw === undefined ? undefined : /^'([^']*)'$/.exec(raw)?.[1] ?? (/^-?\d+$/.test(raw) ? raw : null);
    params.set(m[1]!, { type: m[2]!, ...(raw === undefined ? {} : { defaultValue: literal }), secure: decorators.some((d) => d.startsWith('@secure()')) });
  });
  return params;
}

/** The lines between `opening` (exclusive) and the first later line equal to `closing`. */
export function blockAfter(text: string, opening: RegExp, closing: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => opening.test(l));
  if (start < 0) throw new Error(`no line matches ${opening}`);
  const end = lines.findIndex((l, i) => i > start && l.trimEnd() === closing);
  if (end < 0) throw new Error(`block after ${opening} is not closed by "${closing}"`);
  return lines.slice(start + 1, end);
}

function parseModules(text: string, path: string): BicepModule[] {
  return [...text.matchAll(/^module (\w+) '([^']+)' = \{$/gm)].map((m) => {
    const body = blockAfter(text.slice(m.index), /^module /, '}');
    const paramsAt = body.findIndex((l) => l === '  params: {');
    const paramLines = paramsAt < 0 ? [] : body.slice(paramsAt + 1, body.findIndex((l, i) => i > paramsAt && l === '  }'));
    const params = new Map(paramLines.map((l) => /^ {4}(\w+): (.+)$/.exec(l)).filter((x) => x !== null).map((x) => [x[1]!, x[2]!] as const));
    return { symbol: m[1]!, path: join(dirname(path), m[2]!), params };
  });
}

export function readBicep(path: string): BicepFile {
  const text = readText(path);
  const outputs = new Map([...text.matchAll(/^output (\w+) \w+ = (.+)$/gm)].map((m) => [m[1]!, m[2]!] as const));
  return { path, text, params: parseParams(text), outputs, modules: parseModules(text, path) };
}

/** `{[(` and `)]}` balance outside single-quoted strings and `//` comments. */
export function unbalancedBrackets(text: string): string | undefined {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const [n, line] of text.split('\n').entries()) {
    let inString = false;
    for (let i = 0; i < line.length; i += 1) {
      const ch = line[i]!;
      if (inString) {
        if (ch === '\\') i += 1;
        else if (ch === "'") inString = false;
        continue;
      }
      if (ch === "'") inString = true;
      else if (ch === '/' && line[i + 1] === '/') break;
      else if ('([{'.includes(ch)) stack.push(ch);
      else if (ch in pairs && stack.pop() !== pairs[ch]) return `line ${n + 1}: unexpected ${ch}`;
    }
    if (inString) return `line ${n + 1}: unterminated string`;
  }
  return stack.length === 0 ? undefined : `unclosed ${stack.join('')}`;
}

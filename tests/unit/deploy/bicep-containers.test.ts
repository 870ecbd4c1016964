import type { ContainerRequest, CosmosClient } from '@azure/cosmos';
import { CONTAINERS, ensureContainers } from '../../../src/persistence/containers';
import { blockAfter } from './support/bicep';
import { readText } from './support/project';

interface ContainerLayout {
  partitionKey: string;
  defaultTtl: number;
  excludedPaths: string[];
}

/** Cosmos' default indexing policy excludes only the system `_etag` path. */
const DEFAULT_EXCLUDED = ['/"_etag"/?'];

/** The `cosmosContainers` array in cosmos.bicep: one object per container, one property per line. */
function bicepContainers(): Map<string, ContainerLayout> {
  const lines = blockAfter(readText('infra/modules/cosmos.bicep'), /^var cosmosContainers = \[$/, ']');
  const layouts = new Map<string, ContainerLayout>();
  let current: { name?: string; layout: ContainerLayout } | undefined;
  for (const line of lines) {
    if (line === '  {') current = { layout: { partitionKey: '', defaultTtl: -1, excludedPaths: [] } };
    const name = /^ {4}name: '([^']+)'$/.exec(line)?.[1];
    const partitionKey = /^ {4}partitionKey: '([^']+)'$/.exec(line)?.[1];
    const ttl = /^ {4}defaultTtl: (-?\d+)$/.exec(line)?.[1];
    const path = /^ {8}path: '([^']+)'$/.exec(line)?.[1];
    if (current && name) current.name = name;
    if (current && partitionKey) current.layout.partitionKey = partitionKey;
    if (current && ttl) current.layout.defaultTtl = Number(ttl);
    if (current && path) current.layout.excludedPaths.push(path);
    if (line === '  }' && current?.name) layouts.set(current.name, current.layout);
  }
  return layouts;
}

/** Runs the code's own `ensureContainers` against a recording client to see what it creates. */
async function codeContainers(): Promise<Map<string, ContainerLayout>> {
  const requests: ContainerRequest[] = [];
  const database = {
    containers: {
      createIfNotExists: async (request: ContainerRequest) => {
        requests.push(request);
        return { container: {} };
      },
    },
  };
  const client = { databases: { createIfNotExists: async () => ({ database }) } } as unknown as CosmosClient;
  await ensureContainers(client, 'teams-data-agent');
  return new Map(
    requests.map((r) => {
      const pk = r.partitionKey;
      const paths = typeof pk === 'object' && pk !== null && 'paths' in pk ? pk.paths : [];
      return [
        r.id!,
        {
          partitionKey: paths.join(','),
          defaultTtl: r.defaultTtl ?? 0,
          excludedPaths: r.indexingPolicy?.excludedPaths?.map((p) => p.path) ?? DEFAULT_EXCLUDED,
        },
      ];
    }),
  );
}

describe('Cosmos containers in cosmos.bicep', () => {
  it('when compared with CONTAINERS, then the same containers exist with the same partition keys', () => {
    const bicep = bicepContainers();
    expect([...bicep.keys()].sort()).toEqual(Object.keys(CONTAINERS).sort());
    for (const [name, path] of Object.entries(CONTAINERS)) expect({ name, partitionKey: bicep.get(name)?.partitionKey }).toEqual({ name, partitionKey: path });
  });

  it('when compared with what the code would create, then TTLs and excluded index paths match too', async () => {
    const code = await codeContainers();
    const bicep = bicepContainers();
    expect(code.size).toBe(Object.keys(CONTAINERS).length);
    for (const [name, layout] of code) expect({ name, ...bicep.get(name) }).toEqual({ name, ...layout });
  });

  it('when the account is declared, then it uses session consistency', () => {
    expect(readText('infra/modules/cosmos.bicep')).toMatch(/consistencyPolicy: \{\s*defaultConsistencyLevel: 'Session'\s*\}/);
  });
});

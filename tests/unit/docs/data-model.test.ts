import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINERS } from '../../../src/persistence/containers';

const doc = readFileSync(join(__dirname, '../../../docs/data-model.md'), 'utf8');

describe('docs/data-model.md', () => {
  it('when a container is defined in code, then the containers table lists it with its partition key', () => {
    const rows = new Map([...doc.matchAll(/^\| `(\w+)` \| `([^`]+)`/gm)].map((m) => [m[1]!, m[2]!]));
    const wrong = Object.entries(CONTAINERS).filter(([id, key]) => !rows.get(id)?.startsWith(key)).map(([id, key]) => `${id} (${key}): ${rows.get(id) ?? 'missing'}`);
    expect(wrong).toEqual([]);
  });

  it('when the table lists a container, then the code defines it', () => {
    const listed = [...doc.matchAll(/^\| `(\w+)` \| `\//gm)].map((m) => m[1]!);
    expect(listed.filter((id) => !(id in CONTAINERS))).toEqual([]);
  });
});

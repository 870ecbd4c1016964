import { classifyCosmosRequest } from '../../../bench/cosmos-proxy';

describe('classifyCosmosRequest', () => {
  const docs = '/dbs/bench-1/colls/checkpoints/docs';

  it('when the SDK posts a query, a query plan, an upsert or a create, then each is told apart by its headers', () => {
    expect(classifyCosmosRequest('POST', docs, { 'x-ms-documentdb-isquery': 'true' })).toEqual({ database: 'bench-1', container: 'checkpoints', op: 'query' });
    expect(classifyCosmosRequest('POST', docs, { 'x-ms-cosmos-is-query-plan-request': 'True' }).op).toBe('query-plan');
    expect(classifyCosmosRequest('POST', docs, { 'x-ms-documentdb-is-upsert': 'True' }).op).toBe('upsert');
    expect(classifyCosmosRequest('POST', docs, {}).op).toBe('create');
    expect(classifyCosmosRequest('POST', docs, { 'x-ms-cosmos-is-batch-request': 'True' }).op).toBe('batch');
  });

  it('when an item is read, replaced, patched or deleted by id, then the operation and container are recorded', () => {
    const item = `${docs}/thread%3Aabc`;
    expect(classifyCosmosRequest('GET', item, {})).toEqual({ database: 'bench-1', container: 'checkpoints', op: 'read' });
    expect(classifyCosmosRequest('PUT', item, {}).op).toBe('replace');
    expect(classifyCosmosRequest('PATCH', item, {}).op).toBe('patch');
    expect(classifyCosmosRequest('DELETE', item, {}).op).toBe('delete');
  });

  it('when the request is about the account, a database or a container, then it counts as meta', () => {
    expect(classifyCosmosRequest('GET', '/', {})).toEqual({ database: undefined, container: undefined, op: 'meta' });
    expect(classifyCosmosRequest('GET', '/dbs/bench-1/colls/leases', {})).toEqual({ database: 'bench-1', container: 'leases', op: 'meta' });
  });
});

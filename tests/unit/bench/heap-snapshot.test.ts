import { selfSizeTotal } from '../../../bench/heap-snapshot';

describe('heap snapshot total', () => {
  it('when a snapshot lists nodes, then their self sizes are summed whatever the field order', () => {
    const snapshot = { snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'] } }, nodes: [0, 1, 1, 100, 2, 0, 2, 3, 250, 0, 3, 3, 5, 7, 1] };
    expect(selfSizeTotal(snapshot)).toBe(357);
  });
});

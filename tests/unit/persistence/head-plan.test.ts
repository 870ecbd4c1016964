import { emptyHead, type HistoryDoc, type WriteEntry } from '../../../src/persistence/checkpointer/documents';
import { mergeWrites, planPut } from '../../../src/persistence/checkpointer/head-plan';

const payload = (data: string) => ({ enc: 'utf8' as const, type: 'json', data });
const data = { checkpoint: payload('{}'), values: {}, metadata: payload('{}') };
const history = (checkpointId: string, parentCheckpointId: string | null = null): HistoryDoc => ({ id: `c.${checkpointId}`, threadId: 't', kind: 'checkpoint', ns: '', checkpointId, parentCheckpointId, data, savedAt: 'now' });
const write = (checkpointId: string, taskId: string, idx: number, value = 'v'): WriteEntry => ({ checkpointId, taskId, taskPath: '', idx, channel: 'c', value: payload(value) });

describe('thread head rules', () => {
  it('when a newer checkpoint is put, then it becomes the head, keeps its own and newer writes, and seals the older ones', () => {
    const head = { ...emptyHead('t', ''), checkpointId: '2', data, writes: [write('2', 'a', 0), write('3', 'b', 0), write('4', 'c', 0)], recent: ['1', '2'] };
    const plan = planPut(head, history('3', '2'), 20);
    expect(plan.becomesHead).toBe(true);
    expect(plan.head).toMatchObject({ checkpointId: '3', parentCheckpointId: '2', recent: ['1', '2', '3'] });
    expect(plan.head.writes.map((w) => w.checkpointId)).toEqual(['3', '4']);
    expect(plan.sealed.map((w) => w.checkpointId)).toEqual(['2']);
    expect(plan.pruned).toEqual([]);
  });

  it('when a checkpoint older than the head is put, then the head is left as it is', () => {
    const head = { ...emptyHead('t', ''), checkpointId: '5', data, writes: [write('5', 'a', 0)], recent: ['5'] };
    const plan = planPut(head, history('4'), 20);
    expect(plan).toEqual({ becomesHead: false, head, sealed: [], pruned: [] });
  });

  it('when the history outgrows the limit, then the oldest ids are pruned and the head lists the last N', () => {
    const head = { ...emptyHead('t', ''), checkpointId: '3', data, recent: ['1', '2', '3'] };
    const plan = planPut(head, history('4', '3'), 2);
    expect(plan.head.recent).toEqual(['3', '4']);
    expect(plan.pruned).toEqual(['1', '2']);
  });

  it('when there is no head yet, then the first checkpoint creates one with the writes that arrived before it', () => {
    const early = { ...emptyHead('t', ''), writes: [write('1', 'a', -3)] };
    const plan = planPut(early, history('1'), 20);
    expect(plan.head.writes).toEqual([write('1', 'a', -3)]);
    expect(planPut(undefined, history('1'), 20).head).toMatchObject({ checkpointId: '1', writes: [], recent: ['1'] });
  });

  it('when the same regular write slot is written twice, then the first is kept; a special slot is overwritten', () => {
    const first = mergeWrites([], [write('1', 'a', 0, 'first'), write('1', 'a', -1, 'err1')]);
    const second = mergeWrites(first.writes, [write('1', 'a', 0, 'second'), write('1', 'a', -1, 'err2')]);
    expect(second.writes.map((w) => [w.idx, w.value])).toEqual([
      [0, payload('first')],
      [-1, payload('err2')],
    ]);
    expect(second.losers).toEqual([write('1', 'a', 0, 'second')]);
  });
});

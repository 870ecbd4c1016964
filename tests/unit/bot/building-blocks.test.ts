import type { TurnContext } from 'botbuilder';
import { BackgroundTurns } from '../../../bot/turns/background';
import { ResultCache } from '../../../bot/turns/result-cache';
import { decodeExchangeId, exchangeIdFor } from '../../../bot/sign-in/auth';
import { parseCommand } from '../../../bot/routes/commands';
import { toCsv } from '../../../bot/routes/csv';
import { kindOf, requestContextOf } from '../../../bot/turns/turn-context';
import { silentLogger } from '../../../src/logging';
import { buildGenieAnswer } from '../../fakes/bot-ports';
import { ALICE, TENANT, buildMessage } from '../../fakes/bot-activities';

describe('background turns', () => {
  it('when draining, then it waits for in-flight work, including work started by work, and refuses new work', async () => {
    const turns = new BackgroundTurns(silentLogger());
    const done: string[] = [];
    void turns.start('a', async () => {
      await new Promise((r) => setTimeout(r, 50));
      void turns.start('b', async () => {
        await new Promise((r) => setTimeout(r, 50));
        done.push('b');
      });
      done.push('a');
    });
    expect(await turns.drain(2000)).toBe(true);
    expect(done).toEqual(['a', 'b']);
    expect(turns.isAccepting).toBe(false);
  });

  it('when work outlives the grace period, then drain reports it unfinished', async () => {
    const turns = new BackgroundTurns(silentLogger());
    void turns.start('slow', () => new Promise((r) => setTimeout(r, 500)));
    expect(await turns.drain(20)).toBe(false);
    expect(await turns.idle(2000)).toBe(true);
  });

  it('when work throws, then it is logged and the tracker empties', async () => {
    const turns = new BackgroundTurns(silentLogger());
    await turns.start('fails', async () => {
      throw new Error('x');
    });
    expect(turns.size).toBe(0);
  });
});

describe('result cache', () => {
  it('when another user asks for a cached answer, then they get nothing', () => {
    const cache = new ResultCache();
    cache.put('r1', 't:alice', buildGenieAnswer());
    expect(cache.get('r1', 't:alice')).toBeDefined();
    expect(cache.get('r1', 't:bob')).toBeUndefined();
  });

  it('when entries expire or overflow, then they are dropped', () => {
    const cache = new ResultCache(2, 1000);
    cache.put('r1', 'u', buildGenieAnswer(), 0);
    cache.put('r2', 'u', buildGenieAnswer(), 0);
    cache.put('r3', 'u', buildGenieAnswer(), 0);
    expect(cache.get('r1', 'u', 10)).toBeUndefined();
    expect(cache.get('r3', 'u', 10)).toBeDefined();
    expect(cache.get('r3', 'u', 5000)).toBeUndefined();
  });
});

describe('commands', () => {
  it.each([
    ['help', { kind: 'help' }],
    ['New conversation', { kind: 'reset' }],
    ['memory', { kind: 'memory-list' }],
    ['what do you remember about me?', { kind: 'memory-list' }],
    ['forget 3', { kind: 'forget', which: 3 }],
    ['forget   all', { kind: 'forget', which: 'all' }],
    ['sign out', { kind: 'sign-out' }],
    ['total sales by region', undefined],
    ['forget the west region numbers', undefined],
  ])('when the text is "%s", then the command is %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });
});

describe('CSV export', () => {
  it('when cells hold commas, quotes, nulls or formulas, then they are escaped and neutralised', () => {
    const { csv } = toCsv({ columns: [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'STRING' }], rows: [['x,y', 'say "hi"'], [null, '=HYPERLINK("evil")']], totalRowCount: 2, truncated: false }, 1_000_000);
    expect(csv).toBe('a,b\r\n"x,y","say ""hi"""\r\n,"\'=HYPERLINK(""evil"")"\r\n');
  });

  it('when the result is larger than the limit, then it is cut and says so', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i), 'x'.repeat(100)]);
    const out = toCsv({ columns: [{ name: 'i', type: 'INT' }, { name: 'v', type: 'STRING' }], rows, totalRowCount: 1000, truncated: false }, 10_000);
    expect(out.truncated).toBe(true);
    expect(Buffer.byteLength(out.csv)).toBeLessThanOrEqual(10_000);
  });
});

describe('sign-in exchange ids', () => {
  it('when an id is made for a pending message, then it decodes to the same user and text and is unique', () => {
    const a = exchangeIdFor(ALICE.oid, 'sales by région?');
    expect(decodeExchangeId(a)).toEqual({ objectId: ALICE.oid, text: 'sales by région?' });
    expect(exchangeIdFor(ALICE.oid, 'x')).not.toBe(exchangeIdFor(ALICE.oid, 'x'));
    expect(decodeExchangeId('something-else')).toBeUndefined();
  });
});

describe('request context', () => {
  const turnOf = (activity: ReturnType<typeof buildMessage>): TurnContext => ({ activity, turnState: new Map() }) as unknown as TurnContext;

  it('when built from a channel activity, then identity comes from the activity and the thread conversation id is kept', () => {
    const ctx = requestContextOf(turnOf(buildMessage('x', { where: 'channel' })), silentLogger());
    expect(ctx.user).toMatchObject({ tenantId: TENANT, objectId: ALICE.oid, displayName: ALICE.name });
    expect(ctx.conversation.kind).toBe('channel');
    expect(ctx.conversation.id).toContain(';messageid=');
    expect(ctx.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the conversation has no tenant id, then the channel data tenant is not used and the activity is refused', () => {
    const activity = buildMessage('x');
    expect(activity.channelData).toEqual({ tenant: { id: TENANT } });
    expect(() => requestContextOf(turnOf({ ...activity, conversation: { ...activity.conversation!, tenantId: undefined } }), silentLogger())).toThrow(
      expect.objectContaining({ code: 'INPUT.INVALID' }),
    );
  });

  it('when Teams omits the conversation type or sends an unknown one, then it is a group chat, never personal', () => {
    expect(kindOf('personal')).toBe('personal');
    expect(kindOf('channel')).toBe('channel');
    expect(kindOf('groupChat')).toBe('groupChat');
    expect(kindOf(undefined)).toBe('groupChat');
    expect(kindOf('meeting')).toBe('groupChat');
    expect(kindOf('Personal')).toBe('groupChat');
  });
});

/**
 * Where a Genie turn's time goes, one turn at a time: `npx tsx bench/trace-turn.ts [--turns 4] [--group]`
 * (the dev CA in NODE_EXTRA_CA_CERTS, as for the integration tests).
 *
 * The bench's emulators in their own process, the real bot (`startBot`, the composition root
 * unchanged) in this one with the production span processors ahead of an in-memory exporter, and
 * every Genie HTTP call the bot makes timed by wrapping `fetch`. For each question at zero Genie
 * delay it prints one timeline from the POST: the bot's spans (Cosmos requests, token calls, the
 * Genie budget, `genie.ask`), Genie's calls (POST, each poll, the result), Genie's own created and
 * finished times, and what reached the connector. Diagnostics only: nothing is asserted.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startBot } from '../bot/index';
import { groupConversation, personalConversation } from '../emulators/teams/activities';
import { demoUser } from '../emulators/teams/accounts';
import { TeamsClient } from '../emulators/teams/client';
import { startConnector } from '../emulators/teams/connector';
import { streamInfoOf } from '../emulators/teams/streaming-rules';
import { REPO_ROOT, freePort } from '../scripts/lib/children';
import { loadConfig } from '../src/config';
import { installInMemoryTelemetry } from '../tests/integration/telemetry/in-memory-telemetry';
import { startBenchStack } from './stack';
import { GRAPH_TURN, QUESTION } from './turns';

interface Mark {
  at: number;
  end?: number;
  what: string;
}

const hr = (): number => performance.timeOrigin + performance.now();

function spanMarks(spans: readonly ReadableSpan[]): Mark[] {
  const ms = (t: [number, number]): number => t[0] * 1000 + t[1] / 1e6;
  return spans.map((s) => {
    const attrs = Object.entries(s.attributes)
      .filter(([k]) => !/trace|correlation/.test(k))
      .map(([k, v]) => `${k.split('.').at(-1)}=${String(v)}`)
      .join(' ');
    return { at: ms(s.startTime), end: ms(s.endTime), what: `span ${s.name} ${attrs}` };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { turns: { type: 'string' }, group: { type: 'boolean' } } });
  const turns = Number(values.turns ?? '3');
  const telemetry = installInMemoryTelemetry();
  const bench = await startBenchStack({ generatedUsers: 0 });
  const dir = join(REPO_ROOT, '.local');
  mkdirSync(dir, { recursive: true });
  const stackFile = join(dir, `trace-stack-${process.pid}.json`);
  writeFileSync(stackFile, JSON.stringify(bench.stack, null, 2), { mode: 0o600 });
  const genieCalls: Mark[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const started = hr();
    try {
      return await realFetch(input, init);
    } finally {
      if (url.includes('/api/2.0/genie/')) genieCalls.push({ at: started, end: hr(), what: `genie ${init?.method ?? 'GET'} ${url.replace(/^.*\/genie\/spaces\/[^/]+/, '').replace(/[0-9a-f-]{20,}/g, '…')}` });
    }
  };
  const config = loadConfig({
    env: { PORT: String(await freePort()), LOCAL_STACK_FILE: stackFile, COSMOS_DATABASE: `trace-${randomUUID().slice(0, 8)}`, GENIE_POSTS_PER_MINUTE: '1000', LOG_LEVEL: 'warn' },
  });
  const bot = await startBot(config, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const connector = await startConnector({ tenantId: bench.stack.tenantId });
  const alice = demoUser('alice');
  const client = (conversation = personalConversation(alice)): TeamsClient =>
    new TeamsClient({ messagesUrl: `http://127.0.0.1:${bot.port}/api/messages`, botAppId: bench.stack.botAppId, tenantId: bench.stack.tenantId, ssoTokenUrl: bench.stack.ssoTokenUrl, connector, user: alice, conversation });
  const control = async (action: string, body: unknown): Promise<void> => {
    await realFetch(`${bench.stack.databricks.controlUrl}/genie/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };
  try {
    await control('rate-limit', { postsPerWindow: 1000 });
    await control('latency', { submittedMs: 0, askingAiMs: 0, executingQueryMs: 0 });
    const personal = client();
    await personal.say(GRAPH_TURN);
    await personal.idle();
    const asker = values.group ? client(groupConversation()) : personal;
    for (let i = 0; i <= turns; i++) {
      telemetry.reset();
      genieCalls.length = 0;
      const since = Date.now();
      const start = hr();
      const cursor = connector.log.list(asker.conversation.id).length;
      await asker.say(QUESTION);
      await bot.background.idle(60_000);
      const timings = (await (await realFetch(`${bench.stack.databricks.controlUrl}/genie/timings?since=${since}`)).json()) as { createdAt: number; finishedAt?: number }[];
      const sent = connector.log
        .list(asker.conversation.id)
        .slice(cursor)
        .flatMap((r) => r.versions.map((v, n) => ({ at: v.at, what: `connector ${n === 0 ? 'sent' : 'updated'} ${v.activity.type} ${String(streamInfoOf(v.activity)?.streamType ?? '')}` })));
      const marks: Mark[] = [...spanMarks(telemetry.spans()), ...genieCalls, ...sent, ...timings.flatMap((t) => [{ at: t.createdAt, what: 'GENIE created' }, ...(t.finishedAt ? [{ at: t.finishedAt, what: 'GENIE finished' }] : [])])];
      marks.sort((a, b) => a.at - b.at);
      process.stdout.write(`\n=== ${i === 0 ? 'warm-up' : `turn ${i}`} ${values.group ? '(group chat)' : '(1:1)'}\n`);
      for (const m of marks) process.stdout.write(`${String(Math.round(m.at - start)).padStart(6)} ${m.end === undefined ? '      ' : String(Math.round(m.end - start)).padStart(6)}  ${m.what}\n`);
    }
    personal.close();
    asker.close();
  } finally {
    await bot.background.drain(10_000);
    await bot.server.close();
    bot.cosmos.dispose();
    await connector.stop();
    await telemetry.stop();
    await bench.stop();
    rmSync(stackFile, { force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

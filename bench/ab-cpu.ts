import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEMO_DIRECTORY, findUser } from '../emulators/shared/directory';
import { REPO_ROOT } from '../scripts/lib/children';
import { ensureBuilt } from './compiled-bot';
import { cpuWindow } from './cpu';
import { num } from './stats';
import { ErrorTally, GRAPH_TURN, signIn, timedTurn } from './turns';
import { startWorld } from './world';

/**
 * B5's load on two compiled bots **at the same time**, to compare the CPU per turn of two builds on a
 * shared machine: whatever else runs slows both alike. Bot A is this checkout's `dist/` (built when
 * stale), bot B another build, e.g. the base commit compiled into `.local/dist-base`:
 *
 *   git archive <base> bot src tsconfig.json tsconfig.build.json | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/
 *   npx tsc -p /tmp/base/tsconfig.build.json --outDir .local/dist-base
 *   NODE_EXTRA_CA_CERTS=$PWD/.local/dev-ca/ca.pem npx tsx bench/ab-cpu.ts --b .local/dist-base/bot/index.js --seconds 20 --rounds 2
 *
 * `load01`…`load50` alternate between the bots (odd users on A, even on B; swapped every round),
 * each sending `run: SELECT 1` as soon as the previous answer came. Prints turns, turns/s and bot CPU
 * ms per turn for each bot and round. The build under test must be in the repository (its packages
 * resolve from node_modules/ here). `--a-node-args` / `--b-node-args` give one bot Node flags (e.g. to
 * compare `--max-semi-space-size=32` against none on the same build: `--b dist/bot/index.js`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { b: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' }, users: { type: 'string' }, 'a-node-args': { type: 'string' }, 'b-node-args': { type: 'string' } } });
  if (!values.b) throw new Error('usage: npx tsx bench/ab-cpu.ts --b <other build>/bot/index.js [--seconds 20] [--rounds 2] [--users 50]');
  const entryB = join(REPO_ROOT, values.b);
  const seconds = Number(values.seconds ?? 20);
  const rounds = Number(values.rounds ?? 2);
  const userCount = Number(values.users ?? 50);
  process.stderr.write(`ab-cpu: ${ensureBuilt((t) => process.stderr.write(`ab-cpu: ${t}\n`))}\n`);
  const world = await startWorld({ generatedUsers: 0 });
  try {
    const flags = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((f) => f.length > 0);
    const bots = {
      A: await world.startBot({}, { nodeArgs: flags(values['a-node-args']) }),
      B: await world.startBot({}, { entry: entryB, nodeArgs: flags(values['b-node-args']) }),
    };
    const users = Array.from({ length: userCount }, (_, i) => findUser(DEMO_DIRECTORY, `load${String(i + 1).padStart(2, '0')}`)!);
    for (const [index, user] of users.entries()) {
      for (const bot of [bots.A, bots.B]) {
        const client = world.client(user, bot.messagesUrl);
        await signIn(world, client);
        client.close();
      }
      if (index % 10 === 9) process.stderr.write(`ab-cpu: ${index + 1} users signed in on both bots\n`);
    }
    const lines: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const turns = { A: 0, B: 0 };
      const errors = new ErrorTally();
      const window = cpuWindow([{ name: 'A', pid: () => bots.A.pid }, { name: 'B', pid: () => bots.B.pid }]);
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        users.map(async (user, i) => {
          const side = (i + round) % 2 === 0 ? 'A' : 'B';
          const client = world.client(user, bots[side].messagesUrl);
          while (performance.now() < end) {
            const t = await timedTurn(world, client, GRAPH_TURN, 60_000);
            errors.add(t);
            if (!t.error) turns[side] += 1;
          }
          client.close();
        }),
      );
      const cpu = window.stop();
      for (const side of ['A', 'B'] as const) {
        const ms = cpu.byProcess[side] ?? Number.NaN;
        lines.push(`round ${round + 1} bot ${side}: ${turns[side]} turns, ${num(turns[side] / (cpu.wallMs / 1000))} turns/s, bot CPU ${num(ms / turns[side], 2)} ms per turn (${num((ms / cpu.wallMs) * 100, 0)} % of a core)`);
      }
      lines.push(`round ${round + 1}: errors ${errors.total}${errors.total ? ` (${errors.toString()})` : ''}`);
      process.stderr.write(`${lines.slice(-3).join('\n')}\n`);
    }
    console.log(`A = dist/ (this checkout) ${values['a-node-args'] ?? ''}, B = ${values.b} ${values['b-node-args'] ?? ''}; ${userCount} users, ${seconds} s per round\n${lines.join('\n')}`);
  } finally {
    await world.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

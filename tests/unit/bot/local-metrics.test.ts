import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_MEMORY_PATH, localMetricsRoutes } from '../../../bot/http/local-metrics';
import { createServer, type RunningServer } from '../../../bot/http/server';
import { loadConfig } from '../../../src/config';
import type { Profile } from '../../../src/config/schema';
import { silentLogger } from '../../../src/logging';
import { buildAzureEnv } from '../../fixtures/azure-env';

/** The bench's memory endpoint exists in the local profile only; the azure profile has no such route. */
describe('local memory endpoint', () => {
  const servers: RunningServer[] = [];

  async function serve(profile: Profile): Promise<string> {
    const server = createServer({
      admit: () => undefined,
      logger: silentLogger(),
      authority: 'https://login.example/tenant',
      probes: [],
      processActivity: async () => undefined,
      getRoutes: localMetricsRoutes(profile),
    });
    servers.push(server);
    return `http://127.0.0.1:${await server.listen(0)}`;
  }

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    delete (globalThis as { gc?: unknown }).gc;
  });

  it('when the bot runs with the azure profile, then GET /_local/memory is not found and no route is registered', async () => {
    const config = loadConfig({ env: buildAzureEnv(), cwd: mkdtempSync(join(tmpdir(), 'metrics-')) });
    expect(config.profile).toBe('azure');
    expect(localMetricsRoutes(config.profile)).toEqual([]);
    const base = await serve(config.profile);
    const res = await fetch(`${base}${LOCAL_MEMORY_PATH}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/heapUsed|rss/);
  });

  it('when the bot runs with the local profile, then GET /_local/memory answers the process memory in bytes', async () => {
    const base = await serve('local');
    const res = await fetch(`${base}${LOCAL_MEMORY_PATH}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      rss: expect.any(Number),
      heapTotal: expect.any(Number),
      heapUsed: expect.any(Number),
      external: expect.any(Number),
      arrayBuffers: expect.any(Number),
      collected: false,
    });
    expect(body.rss as number).toBeGreaterThan(body.heapUsed as number);
  });

  it('when ?gc=1 is asked and Node exposes gc, then a collection runs first; without ?gc=1 it does not', async () => {
    const gc = jest.fn();
    (globalThis as { gc?: unknown }).gc = gc;
    const base = await serve('local');
    const plain = (await (await fetch(`${base}${LOCAL_MEMORY_PATH}`)).json()) as { collected: boolean };
    expect(plain.collected).toBe(false);
    expect(gc).not.toHaveBeenCalled();
    const collected = (await (await fetch(`${base}${LOCAL_MEMORY_PATH}?gc=1`)).json()) as { collected: boolean };
    expect(collected.collected).toBe(true);
    expect(gc).toHaveBeenCalledTimes(1);
  });
});

import { cachedProbes } from '../../../bot/http/cached-probes';
import { createServer, type ReadinessProbe, type RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';

describe('/readyz answered from a cached check', () => {
  let server: RunningServer;
  let base: string;
  let clock = 0;
  const calls = { cosmos: 0, entra: 0 };
  let cosmosUp = true;
  const probes: ReadinessProbe[] = [
    {
      name: 'cosmos',
      check: async () => {
        calls.cosmos += 1;
        await new Promise((r) => setTimeout(r, 30));
        if (!cosmosUp) throw new Error('ECONNREFUSED');
      },
    },
    { name: 'identity-provider', check: async () => void (calls.entra += 1, await new Promise((r) => setTimeout(r, 30))) },
  ];

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    server = createServer({
      admit: () => undefined,
      logger: silentLogger(),
      authority: 'https://login.example/t',
      probes: cachedProbes(probes, 5000, () => clock),
      processActivity: async () => undefined,
    });
    base = `http://127.0.0.1:${await server.listen(0)}`;
  });
  afterAll(async () => {
    await server.close();
    jest.restoreAllMocks();
  });

  it('when 50 /readyz requests arrive at once and 50 more follow within the cache time, then each dependency is checked once', async () => {
    const first = await Promise.all(Array.from({ length: 50 }, () => fetch(`${base}/readyz`)));
    const then = [];
    for (let i = 0; i < 50; i += 1) then.push((await fetch(`${base}/readyz`)).status);
    expect(first.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(then).toEqual(Array(50).fill(200));
    expect(calls).toEqual({ cosmos: 1, entra: 1 });
  });

  it('when the cache time has passed, then the next request checks again and reports a dependency that went down', async () => {
    cosmosUp = false;
    clock += 5000;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ checks: expect.arrayContaining([expect.objectContaining({ name: 'cosmos', ok: false })]) });
    expect(calls).toEqual({ cosmos: 2, entra: 2 });
    cosmosUp = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    clock += 5000;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(calls).toEqual({ cosmos: 3, entra: 3 });
  });
});

import { createServer, type Server } from 'node:net';
import { freePort, holdPort } from '../../../scripts/lib/children';

/** Listens as the emulators do (localhost, IPv4) and reports the error code, if any. */
function listenLocal(port: number): Promise<{ server: Server } | { code: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? 'unknown' }));
    server.listen(port, '127.0.0.1', () => resolve({ server }));
  });
}

const close = (server: Server): Promise<void> => new Promise((done) => server.close(() => done()));

describe('npm start holds the bot port while the emulators take free ports (holdPort)', () => {
  it('when the port is held, then an emulator cannot listen on it; once released, it can', async () => {
    const port = await freePort();
    const release = await holdPort(port);
    expect(await listenLocal(port)).toEqual({ code: 'EADDRINUSE' });
    await release();
    const after = await listenLocal(port);
    expect('server' in after).toBe(true);
    if ('server' in after) await close(after.server);
  });

  it('when the port is already taken, then holding it fails with a message naming the port and PORT', async () => {
    const port = await freePort();
    const taken = await listenLocal(port);
    if (!('server' in taken)) throw new Error(`could not take ${port}`);
    try {
      await expect(holdPort(port)).rejects.toThrow(`port ${port} is in use (another bot or npm start?); set PORT to a free port`);
    } finally {
      await close(taken.server);
    }
  });
});

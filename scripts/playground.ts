import { parseArgs } from 'node:util';
import { readStackFile, requireMessagesUrl, stackFilePath } from '../emulators/teams/stack-file';
import { startPlayground } from './lib/playground';

/**
 * `npm run playground [-- --as bob] [--port 56150]`: the Microsoft 365 Agents Playground against the running
 * local bot (start it with `npm start` first). The Playground has no Teams SSO; start the bot with
 * LOCAL_PLAYGROUND_SSO=true to sign Playground users in through the Entra emulator.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { as: { type: 'string', default: 'alice' }, port: { type: 'string', default: '56150' } } });
  const file = stackFilePath();
  const stack = readStackFile(file);
  const messagesUrl = requireMessagesUrl(stack, file);
  const running = await startPlayground({
    messagesUrl,
    tenantId: stack.tenantId,
    botAppId: stack.botAppId,
    as: values.as,
    port: Number(values.port),
    stdio: 'inherit',
  });
  console.log(`Agents Playground: open ${running.url} in a browser (you are ${values.as}; config ${running.configPath}).`);
  console.log('It cannot do Teams SSO: start the stack with `LOCAL_PLAYGROUND_SSO=true npm start` to be signed in through the Entra emulator,');
  console.log(`or sign in once as ${values.as} from \`npm run chat -- --as ${values.as}\` (the session is shared).`);
  const stop = (): void => void running.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  running.process.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});

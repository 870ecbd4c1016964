import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { baseActivity, channelConversation, groupConversation, personalConversation, type ConversationSpec } from './activities';
import { DEMO_USERS, demoUser } from './accounts';
import { adaptiveCardOf, elementsText } from './card-text';
import { CHAT_HELP, ChatView, parseChatLine, sameButton } from './chat-view';
import { oauthCardOf, TeamsClient } from './client';
import { startConnector } from './connector';
import { fileConsentChoiceOf, LocalUploads } from './file-consent';
import { readStackFile, requireMessagesUrl, stackFilePath } from './stack-file';

/** `npm run chat -- --as alice [--group | --channel]`: chat with the local bot from a terminal, as Teams would. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { as: { type: 'string', default: 'alice' }, group: { type: 'boolean' }, channel: { type: 'boolean' } },
  });
  const user = demoUser(values.as ?? 'alice');
  const path = stackFilePath();
  const stack = readStackFile(path);
  const messagesUrl = requireMessagesUrl(stack, path);
  const conversation: ConversationSpec = values.channel ? channelConversation() : values.group ? groupConversation() : personalConversation(user);

  const connector = await startConnector({ tenantId: stack.tenantId });
  const client = new TeamsClient({
    messagesUrl,
    botAppId: stack.botAppId,
    tenantId: stack.tenantId,
    ssoTokenUrl: stack.ssoTokenUrl,
    connector,
    user,
    conversation,
  });
  const uploads = await LocalUploads.start(resolve(process.cwd(), '.local/downloads'));
  const view = new ChatView();
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: `${user.shortName}> ` });
  const print = (text: string): void => {
    process.stdout.write(`\r\x1b[K${text}\n`);
    rl.prompt(true);
  };
  connector.log.onEvent((event) => {
    if (event.record.conversationId !== conversation.id) {
      if (event.kind === 'sent') print(`  (a message arrived in another conversation, ${event.record.conversationId})`);
      return;
    }
    const text = view.render(event, user.objectId);
    if (text) print(text);
  });

  console.log(`You are ${user.displayName} (${user.upn}) in ${conversation.kind === 'personal' ? 'a 1:1 chat with the bot' : `${conversation.kind} "${conversation.name}"`}.`);
  console.log(`Bot: ${messagesUrl}   connector: ${connector.serviceUrl}`);
  console.log(CHAT_HELP);
  rl.prompt();

  const shutdown = async (): Promise<void> => {
    client.close();
    rl.close();
    await uploads.close();
    await connector.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  rl.on('close', () => void shutdown());

  for await (const line of rl) {
    const command = parseChatLine(line);
    try {
      if (command.kind === 'quit') return shutdown();
      if (command.kind === 'help') print(CHAT_HELP);
      if (command.kind === 'say') await client.say(command.text);
      if (command.kind === 'click' || command.kind === 'refresh') {
        const target = view.button(command.number);
        if (!target) print(`  no button /${command.number}`);
        else if (command.kind === 'click' && target.button.type === 'Action.ToggleVisibility') {
          const card = adaptiveCardOf(client.view(target.activityId));
          print((card ? elementsText(card, target.button.targets) : []).map((l) => `  ${l}`).join('\n') || '  (nothing to show)');
        } else if (command.kind === 'click' && target.button.type === 'Action.OpenUrl') {
          print(`  open ${target.button.url ?? '(no url)'}`);
        } else if (command.kind === 'click' && fileConsentChoiceOf(target.button)) {
          const choice = fileConsentChoiceOf(target.button) as NonNullable<ReturnType<typeof fileConsentChoiceOf>>;
          const uploadInfo = choice.action === 'accept' ? uploads.uploadInfo(choice.name) : undefined;
          const result = await client.invoke('fileConsent/invoke', { type: 'fileUpload', action: choice.action, context: choice.context, uploadInfo }, target.activityId);
          if (uploadInfo) print(`  allowed: the file goes to ${uploadInfo.contentUrl.replace('file://', '')}`);
          if (result.status >= 400) print(`  (the bot answered ${result.status})`);
        } else {
          const result = command.kind === 'refresh' ? await client.refresh(target.activityId) : await client.click(target.activityId, (b) => sameButton(b, target.button));
          const body = result.body as { type?: unknown; value?: unknown } | undefined;
          if (body?.type === 'application/vnd.microsoft.activity.message') print(`  ${String(body.value)}`);
          else if (result.status >= 400) print(`  (the bot answered ${result.status})`);
        }
      }
      if (command.kind === 'install') {
        const bot = { id: `28:${stack.botAppId}`, name: 'Data Agent' };
        await client.post({ ...baseActivity(client.context, 'installationUpdate'), action: 'add', recipient: bot });
      }
      if (command.kind === 'signin') {
        const last = connector.log.list(conversation.id).reverse().find((r) => oauthCardOf(r.activity));
        if (!last) print('  no sign-in card to answer');
        else print(`  token exchange answered ${(await client.exchangeToken(last)).status}`);
      }
    } catch (error) {
      print(`  error: ${(error as Error).message}`);
    }
    rl.prompt();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  console.error(`Users: ${DEMO_USERS.join(', ')}`);
  process.exit(1);
});

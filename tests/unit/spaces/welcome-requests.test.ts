import { welcomeContent } from '../../../src/commands/welcome-text';

describe('the 1:1 welcome names the requests command', () => {
  it('when a user installs the bot or says help in a 1:1 chat, then the commands include requests (their change requests and approvals waiting for them)', () => {
    const commands = welcomeContent('personal', 'Alice', undefined).commands;
    expect(commands.some((c) => c.startsWith('**requests**'))).toBe(true);
  });
});

import { continuedConversation } from '../../../src/agents/genie/genie-node';
import { welcomeContent, GENERIC_STARTERS } from '../../../src/commands/welcome-text';
import { isOffered, matchSpace, offeredSpaces } from '../../../src/spaces/space-rules';

const RETAIL = { spaceId: '01ef0000000000000000000000000a1e', title: 'Retail sales', description: 'Orders' };
const HR = { spaceId: '01ef00000000000000000000000000e2', title: 'People (HR)', description: 'Employees' };
const SANDBOX = { spaceId: '01ef00000000000000000000000005b0', title: 'Retail sandbox', description: 'Experiments' };
const SETTINGS = { defaultSpaceId: RETAIL.spaceId, allowList: [HR.spaceId] };

describe('which Genie spaces the bot offers', () => {
  it('when the allow-list is empty, then only the default space is offered', () => {
    expect(offeredSpaces({ defaultSpaceId: RETAIL.spaceId, allowList: [] }, [HR, SANDBOX, RETAIL])).toEqual([RETAIL]);
  });

  it('when a user sees spaces outside the allow-list, then they are left out, and the default comes first', () => {
    expect(offeredSpaces(SETTINGS, [SANDBOX, HR, RETAIL]).map((s) => s.title)).toEqual(['Retail sales', 'People (HR)']);
  });

  it('when a user cannot see an allowed space, then it is not offered to them (the list is theirs)', () => {
    expect(offeredSpaces(SETTINGS, [RETAIL])).toEqual([RETAIL]);
  });

  it('when ids differ only in case, then they are the same space', () => {
    expect(isOffered(SETTINGS, HR.spaceId.toUpperCase())).toBe(true);
    expect(isOffered(SETTINGS, SANDBOX.spaceId)).toBe(false);
  });
});

describe('picking a space by what the user typed', () => {
  const spaces = [RETAIL, HR, SANDBOX];
  it.each([
    ['People (HR)', 'People (HR)'],
    ['people hr', 'People (HR)'],
    ['hr', 'People (HR)'],
    ['retail sales', 'Retail sales'],
    ['retail sand', 'Retail sandbox'],
    [HR.spaceId, 'People (HR)'],
  ])('when "%s" is typed, then it means %s', (typed, title) => {
    const match = matchSpace(spaces, typed);
    expect(match.kind === 'one' ? match.space.title : match).toBe(title);
  });

  it('when the words fit several spaces, then it is ambiguous and names them', () => {
    expect(matchSpace(spaces, 'retail')).toEqual({ kind: 'many', titles: ['Retail sales', 'Retail sandbox'] });
  });

  it.each(['finance', '', '   ', '!!!'])('when "%s" is typed, then nothing matches', (typed) => {
    expect(matchSpace(spaces, typed)).toEqual({ kind: 'none' });
  });
});

describe('which Genie conversation a question continues', () => {
  it('when the thread has a conversation in the same space, then it continues it', () => {
    expect(continuedConversation({ genieConversationId: 'c1', genieSpaceId: HR.spaceId }, HR.spaceId)).toBe('c1');
  });
  it('when the conversation\'s space was switched, then a new Genie conversation starts', () => {
    expect(continuedConversation({ genieConversationId: 'c1', genieSpaceId: RETAIL.spaceId }, HR.spaceId)).toBeUndefined();
  });
  it('when the thread predates spaces (no space recorded), then it continues as before', () => {
    expect(continuedConversation({ genieConversationId: 'c1', genieSpaceId: null }, RETAIL.spaceId)).toBe('c1');
  });
});

describe('the welcome, per kind of conversation', () => {
  const space = { title: 'Retail sales', description: 'Orders', sampleQuestions: ['What are total sales by region?'] };
  it('when it is a 1:1 chat with a readable space, then it names the space and offers its sample questions', () => {
    const content = welcomeContent('personal', 'Carol', space);
    expect(content.title).toBe('Hi Carol!');
    expect(content.space?.title).toBe('Retail sales');
    expect(content.starters).toEqual(['What are total sales by region?']);
  });
  it('when the sample questions cannot be read, then the starters are generic ones', () => {
    expect(welcomeContent('personal', 'Alice', { ...space, sampleQuestions: undefined }).starters).toEqual([...GENERIC_STARTERS]);
  });
  it('when it is a group chat or a channel, then the text differs and uses the command table', () => {
    const personal = welcomeContent('personal', 'A', undefined);
    const group = welcomeContent('groupChat', 'A', undefined);
    const channel = welcomeContent('channel', 'A', undefined);
    expect(new Set([personal.intro, group.intro, channel.intro]).size).toBe(3);
    expect(channel.intro).toMatch(/Sign in once in a 1:1 chat/);
    expect(group.commands.some((c) => c.includes('**space**'))).toBe(true);
    expect(channel.commands.length).toBeLessThan(personal.commands.length);
  });
});

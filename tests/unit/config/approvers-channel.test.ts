import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

/** APPROVERS_CHANNEL_ID (issue 17 item 8): validated once at start-up, each wrong value reported by name with its reason. */
const dir = mkdtempSync(join(tmpdir(), 'approvers-channel-'));

function problemsOf(value: string): string[] {
  return configProblems(buildAzureEnv({ APPROVERS_CHANNEL_ID: value }), dir);
}

describe('APPROVERS_CHANNEL_ID', () => {
  it('when it is unset, then no channel is configured', () => {
    expect(loadConfig({ env: buildAzureEnv(), cwd: dir }).approvals.approversChannelId).toBeUndefined();
  });

  it.each(['19:local-channel-approvers@thread.tacv2', '19:a1b2c3d4e5f6@thread.skype', '  19:abc_DEF-1.2=@thread.tacv2  '])('when it is the channel id "%s", then it is used', (value) => {
    expect(loadConfig({ env: buildAzureEnv({ APPROVERS_CHANNEL_ID: value }), cwd: dir }).approvals.approversChannelId).toBe(value.trim());
  });

  it.each([
    ['19:abc@thread.tacv2;messageid=1700000000000', /reply thread/],
    ['https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/Approvers', /is a link/],
    ['19:meeting_abc@thread.v2', /group chat/],
    ['a:1xyz-personal', /not a Teams channel id/],
    ['approvers', /not a Teams channel id/],
    ['19:has space@thread.tacv2', /not a Teams channel id/],
    [`19:${'x'.repeat(300)}@thread.tacv2`, /at most 256/],
  ])('when it is "%s", then start-up is refused with the reason', (value, reason) => {
    const problems = problemsOf(value);
    expect(problems).toEqual([expect.stringMatching(/^APPROVERS_CHANNEL_ID: /)]);
    expect(problems[0]).toMatch(reason);
  });
});

/**
 * `APPROVERS_CHANNEL_ID`: the Teams channel four-eyes requests are posted to (issue 17 item 8). A
 * channel's conversation id is `19:<id>@thread.tacv2` (or `@thread.skype` for older teams), as Teams
 * puts it in `channelData.channel.id` and the Graph `channel` resource's `id`
 * (learn.microsoft.com/graph/api/resources/channel). A reply thread (`;messageid=`), a chat (`19:…@thread.v2`),
 * a 1:1 (`a:…`) or a URL copied from the Teams client is refused at start-up with the reason.
 */
export const MAX_CHANNEL_ID_CHARS = 256;
const CHANNEL_ID = /^19:[A-Za-z0-9_\-.=]+@thread\.(?:tacv2|skype)$/;

/** Undefined when `value` is a channel conversation id; else why it is not. */
export function approversChannelProblem(value: string): string | undefined {
  if (value.length > MAX_CHANNEL_ID_CHARS) return `is ${value.length} characters long; a channel id has at most ${MAX_CHANNEL_ID_CHARS}`;
  if (value.includes(';messageid=')) return 'names a reply thread (;messageid=); give the channel id without it';
  if (/^https?:\/\//i.test(value)) return 'is a link; give the channel id (19:…@thread.tacv2), e.g. from the channel link\'s path, URL-decoded';
  if (value.endsWith('@thread.v2')) return 'is a group chat id; approvals go to a team channel (19:…@thread.tacv2)';
  if (!CHANNEL_ID.test(value)) return 'is not a Teams channel id (19:…@thread.tacv2)';
  return undefined;
}

import type { HostTurn } from '../turns/host-turn';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * The activity id of the last Adaptive Card this turn posts or updates from now on (the requester's
 * approval card, whether it is a new message, a streamed final message or the progress card updated
 * in place), so the copy can be stored with the approval.
 */
export function watchCardId(turn: HostTurn): () => string | undefined {
  let last: string | undefined;
  const hasCard = (a: { attachments?: { contentType?: string }[] }): boolean => (a.attachments ?? []).some((x) => x.contentType === ADAPTIVE_CARD);
  turn.onSendActivities(async (_ctx, activities, next) => {
    const responses = await next();
    activities.forEach((activity, i) => {
      // A streamed final message is answered `202 {}`: its id is the stream id it carries (streaming-ux, "Response codes").
      const id = responses[i]?.id ?? activity.id;
      if (id && hasCard(activity)) last = id;
    });
    return responses;
  });
  turn.onUpdateActivity(async (_ctx, activity, next) => {
    await next();
    if (activity.id && hasCard(activity)) last = activity.id;
  });
  return () => last;
}

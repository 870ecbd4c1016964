/**
 * The `requests` listing: the summary text and the "Show older requests" card that ends a page of
 * one's own requests when older ones exist. The button carries only the cursor (where the page
 * ended), never who is asking; bot/routes/requests.ts reads it back as the clicker's own.
 */
import { cursorCardData } from '../../src/agents/requests-cursor';
import type { MyRequests, MyRequestsPage } from '../../src/agents/my-requests';
import type { IndexCursor } from '../../src/persistence/keyset-page';
import type { ApprovalRecord } from '../../src/persistence/ports';
import type { AdaptiveCard } from './expand';
import { VERBS } from './verbs';

export const SHOW_OLDER_TITLE = 'Show older requests';

const OLDER_BELOW = `, older ones with "${SHOW_OLDER_TITLE}" below`;

export function renderOlderRequestsCard(cursor: IndexCursor): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'You have older change requests.', isSubtle: true, wrap: true }],
    actions: [{ type: 'Action.Execute', title: SHOW_OLDER_TITLE, verb: VERBS.requestsOlder, data: cursorCardData(cursor) }],
  };
}

/** The first message of a `requests` listing: one's own requests, then whether anything waits for the reader. */
export function requestsSummary(listing: MyRequests): string {
  const lines = [listing.mine.length === 0 ? 'You have no change requests.' : `Your change requests, newest first (${listing.mine.length}${listing.older ? OLDER_BELOW : ''}):`];
  lines.push(...listing.mine.map(requestLine));
  if (listing.awaiting.length > 0) {
    lines.push('', `Waiting for your approval: ${listing.awaiting.length} (cards below).`);
  } else if (listing.approver === 'member') {
    lines.push('', 'Nothing is waiting for your approval.');
  } else if (listing.approver === 'unverified') {
    lines.push('', 'I could not verify your approvers-group membership with Microsoft Graph, so requests waiting for an approver are not shown. Try again shortly.');
  }
  return lines.join('\n');
}

/** The first message of an older page. */
export function olderRequestsSummary(page: MyRequestsPage): string {
  if (page.mine.length === 0) return 'You have no older change requests.';
  return [`Your older change requests, newest first (${page.mine.length}${page.older ? OLDER_BELOW : ''}):`, ...page.mine.map(requestLine)].join('\n');
}

function requestLine(a: ApprovalRecord): string {
  const rows = a.rowsAffected !== undefined ? `, ${a.rowsAffected} rows changed` : '';
  const by = a.decidedBy ? `, ${a.status === 'rejected' ? 'rejected' : 'approved'} by ${a.decidedBy.name}` : '';
  return `- ${a.createdAt} **${a.status}**: ${a.operation} on ${a.targetTables.join(', ')} (${a.impact.description})${by}${rows}`;
}

import type { Mutation } from './types';

/** Issue 17 items 7-8: requests that reach their approvers, and `requests`. */
export const REQUEST_MUTATIONS: readonly Mutation[] = [
  {
    case: 'i17 delivered conversations only',
    protection: 'an approval is used only where it was requested or delivered by our code (src/approvals/delivery.ts)',
    patches: [{ file: 'src/approvals/delivery.ts', search: '    if (copy.conversationId === conversationId) return true;\n', replace: '    return true;\n' }],
    test: { file: 'tests/unit/approvals/delivery-scope.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'i17 cards only to verified approvers',
    protection: "a four-eyes card goes to a 1:1 chat only when Graph says its owner is an approver (bot/delivery/deliver.ts)",
    patches: [{ file: 'bot/delivery/deliver.ts', search: '      member = await reach.isApprover(person);', replace: '      member = (await reach.isApprover(person)) || true;' }],
    test: { file: 'tests/e2e/approvers-reach.test.ts', name: 'a four-eyes request' },
    tier: 'e2e',
  },
  {
    case: 'i17 waiting list only for verified approvers',
    protection: '`requests` lists waiting requests only to a verified approver (src/agents/my-requests.ts)',
    patches: [{ file: 'src/agents/my-requests.ts', search: "  if (approver === 'member') {", replace: "  if (approver === 'member' || approver === 'not-member') {" }],
    test: { file: 'tests/e2e/approvers-reach.test.ts', name: 'requests:' },
    tier: 'e2e',
  },
  {
    case: 'i17 one decision for racing approvers',
    // A racing click may read the record while it is still pending (its claim then fails the ETag) or after the other claim (refused by status).
    protection: 'a racing or later click on a decided approval is refused as already decided, by status or by its stale claim failing the ETag (src/agents/decide.ts)',
    patches: [
      { file: 'src/agents/decide.ts', search: "  if (!mayRecover && status !== 'pending') return deny('APPROVAL.ALREADY_DECIDED', record);\n", replace: '' },
      { file: 'src/agents/decide.ts', search: "    if (hasCode(error, 'STORAGE.CONFLICT')) return deny('APPROVAL.ALREADY_DECIDED', (await deps.approvals.get(approvalId)) ?? record);\n", replace: '' },
    ],
    test: { file: 'tests/e2e/approver-race.test.ts' },
    tier: 'e2e',
  },
  {
    case: 'i17 older requests only the clicker’s own',
    // Stands for any way card data could name whose requests to list: here a user id riding along in it.
    protection: '"Show older requests" lists the requests of the person the activity names, never one the card data names (bot/routes/requests.ts)',
    patches: [
      {
        file: 'bot/routes/requests.ts',
        search: '  const ctx = requestContextOf(turn, deps.logger);\n',
        replace: "  const ctx = requestContextOf(turn, deps.logger);\n  if (typeof data.userObjectId === 'string') Object.assign(ctx, { user: { ...ctx.user, objectId: data.userObjectId } });\n",
      },
    ],
    test: { file: 'tests/unit/bot/requests-older.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'i17 older requests cursor validated',
    protection: 'the "Show older requests" cursor is an ISO instant that is a real date and an approval id, else refused (src/agents/requests-cursor.ts)',
    patches: [
      { file: 'src/agents/requests-cursor.ts', search: " || !ISO_INSTANT.test(createdAt) || !isRealInstant(createdAt)) {", replace: ') {' },
      { file: 'src/agents/requests-cursor.ts', search: " || !APPROVAL_ID_PATTERN.test(id)) return", replace: ') return' },
    ],
    test: { file: 'tests/unit/agents/requests-cursor.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'i17 older requests no gap at a tie',
    protection: 'a page boundary inside requests created in the same millisecond reads that tie in id order (src/persistence/keyset-page.ts)',
    patches: [{ file: 'src/persistence/keyset-page.ts', search: '  if (entries[entries.length - 1]!.createdAt === oldest) {', replace: '  if (entries.length < 0) {' }],
    test: { file: 'tests/e2e/approvers-reach.test.ts', name: 'Show older requests' },
    tier: 'e2e',
  },
];

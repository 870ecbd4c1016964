/** Every Action.Execute verb the bot emits or accepts (`area.action`). */
export const VERBS = {
  approvalApprove: 'approval.approve',
  approvalReject: 'approval.reject',
  approvalRefresh: 'approval.refresh',
  resultRefresh: 'result.refresh',
  resultShare: 'result.share',
  resultFeedback: 'result.feedback',
  resultExport: 'result.export',
  resultFollowUp: 'result.followup',
  resultPage: 'result.page',
  spacePick: 'space.pick',
  historyResume: 'history.resume',
  historyDelete: 'history.delete',
  requestsOlder: 'requests.older',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

export const ALL_VERBS: readonly Verb[] = Object.values(VERBS);

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (ALL_VERBS as readonly string[]).includes(value);
}

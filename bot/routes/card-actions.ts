import type { HostTurn, RouteTable } from '../turns/host-turn';
import { VERBS, type Verb } from '../present/verbs';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, sendInvokeResponse } from '../turns/invoke';
import { onApprovalRefresh, onDecision } from './approval-actions';
import { type CardData, parseCardData } from './card-data';
import { onFollowUp, onResultExport, onResultRefresh, onResultShare } from './result-actions';
import { onResultFeedback } from './result-feedback';
import { onRequestsOlder } from './requests';
import { onResultPage } from './result-pages';
import { onHistoryDelete, onHistoryResume, onSpacePick } from './space-actions';

type VerbHandler = (turn: HostTurn, data: CardData, deps: BotDeps) => Promise<CardActionResponse>;

const HANDLERS: Record<Verb, VerbHandler> = {
  [VERBS.approvalApprove]: (turn, data, deps) => onDecision(turn, data, 'approve', deps),
  [VERBS.approvalReject]: (turn, data, deps) => onDecision(turn, data, 'reject', deps),
  [VERBS.approvalRefresh]: onApprovalRefresh,
  [VERBS.resultRefresh]: onResultRefresh,
  [VERBS.resultShare]: onResultShare,
  [VERBS.resultFeedback]: onResultFeedback,
  [VERBS.resultExport]: onResultExport,
  [VERBS.resultFollowUp]: onFollowUp,
  [VERBS.resultPage]: onResultPage,
  [VERBS.spacePick]: onSpacePick,
  [VERBS.historyResume]: onHistoryResume,
  [VERBS.historyDelete]: onHistoryDelete,
  [VERBS.requestsOlder]: onRequestsOlder,
};

/**
 * Action.Execute verbs. Each handler answers the invoke itself (so teams-ai never turns a
 * user-specific card into a card for everyone); malformed or oversized data gets a 400 card error.
 */
export function registerCardActions(app: RouteTable, deps: BotDeps): void {
  for (const [verb, handler] of Object.entries(HANDLERS) as [Verb, VerbHandler][]) {
    app.adaptiveCards.actionExecute<CardData>(verb, async (turn, _state, raw) => {
      const data = parseCardData(raw);
      const response = data.ok ? await handler(turn, data.value, deps) : badRequestResponse(data.message);
      await sendInvokeResponse(turn, 200, response);
      return '';
    });
  }
}

/** Registered last: any invoke nobody handled (unknown name or verb) gets a clear answer, never a crash. */
export function registerUnknownInvokes(app: RouteTable, deps: BotDeps): void {
  app.addRoute(
    async (turn) => turn.activity.type === 'invoke',
    async (turn) => {
      const name = turn.activity.name ?? '(none)';
      deps.logger.warn({ invoke: name, verb: verbOf(turn.activity.value) }, 'unhandled invoke');
      if (name === 'adaptiveCard/action') {
        return sendInvokeResponse(turn, 200, badRequestResponse(`Unknown card action "${verbOf(turn.activity.value) ?? '(none)'}".`));
      }
      await sendInvokeResponse(turn, 501, { code: 'NotImplemented', message: `This bot does not handle the "${name}" invoke.` });
    },
    true,
  );
}

function verbOf(value: unknown): string | undefined {
  const verb = (value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' ? verb.slice(0, 100) : undefined;
}

import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../present/render';

/** Body of an `adaptiveCard/action` invoke response (Universal Actions). */
export type CardActionResponse =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } }
  | { statusCode: 401; type: 'application/vnd.microsoft.activity.loginRequest'; value: LoginRequest };

/** Universal Actions sign-in: Teams tries SSO with `tokenExchangeResource`, else shows the button. */
export interface LoginRequest {
  text: string;
  connectionName: string;
  tokenExchangeResource: { id: string; uri: string };
  buttons: { type: 'signin'; title: string; text: string; value: string }[];
}

export const cardResponse = (card: AdaptiveCard): CardActionResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});

export const messageResponse = (text: string): CardActionResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text,
});

export const badRequestResponse = (message: string): CardActionResponse => ({
  statusCode: 400,
  type: 'application/vnd.microsoft.error',
  value: { code: 'BadRequest', message },
});

/** Sets the HTTP answer of an invoke. Only the first call counts; later calls are ignored. */
export async function sendInvokeResponse(turn: TurnContext, status: number, body?: unknown): Promise<void> {
  if (hasInvokeResponse(turn)) return;
  await turn.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

export function hasInvokeResponse(turn: TurnContext): boolean {
  return turn.turnState.get(INVOKE_RESPONSE_KEY) !== undefined;
}

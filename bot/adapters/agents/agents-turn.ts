import { Activity as AgentsActivity } from '@microsoft/agents-activity';
import type { TurnContext as AgentsTurnContext } from '@microsoft/agents-hosting';
import type { Activity, ResourceResponse } from 'botbuilder';
import type { HostTurn, SendHook, TurnValues, UpdateHook } from '../../turns/host-turn';

/** Where a wrapped turn keeps its wrapper, so hooks and handlers of one turn see one object. */
const WRAPPER_KEY = Symbol('hostTurn');

/**
 * The Agents SDK's `TurnContext` as the shared handlers' `HostTurn`. Its activity is the same Bot
 * Framework wire format; what differs is that the SDK parses outgoing activities with its schema
 * (`Activity.fromObject`), so a missing `type` becomes `message` here, as botbuilder does.
 */
export class AgentsTurn implements HostTurn {
  private constructor(readonly context: AgentsTurnContext) {}

  /** The one wrapper of `context` (created on first use). */
  static of(context: AgentsTurnContext): AgentsTurn {
    const existing = context.turnState.get(WRAPPER_KEY) as AgentsTurn | undefined;
    if (existing) return existing;
    const created = new AgentsTurn(context);
    context.turnState.set(WRAPPER_KEY, created);
    return created;
  }

  get activity(): Activity {
    return this.context.activity as unknown as Activity;
  }

  get turnState(): TurnValues {
    return this.context.turnState;
  }

  sendActivity(activityOrText: string | Partial<Activity>): Promise<ResourceResponse | undefined> {
    if (typeof activityOrText === 'string') return this.context.sendActivity(activityOrText);
    return this.context.sendActivity(toAgentsActivity(activityOrText));
  }

  async updateActivity(activity: Partial<Activity>): Promise<void> {
    await this.context.updateActivity(toAgentsActivity(activity));
  }

  onSendActivities(handler: SendHook): this {
    this.context.onSendActivities((_context, activities, next) => handler(this, activities as unknown as Partial<Activity>[], next));
    return this;
  }

  onUpdateActivity(handler: UpdateHook): this {
    this.context.onUpdateActivity((_context, activity, next) => handler(this, activity as unknown as Partial<Activity>, next));
    return this;
  }
}

function toAgentsActivity(activity: Partial<Activity>): AgentsActivity {
  return AgentsActivity.fromObject({ ...activity, type: activity.type ?? 'message' });
}

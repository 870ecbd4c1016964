import type { CatalogLoader } from '../catalog';
import type { Logger } from '../logging';

/** What a message asks for. SQL in a `change` is only a proposal: the SQL guard decides. */
export type Intent =
  | { kind: 'help' }
  | { kind: 'question'; question: string }
  | { kind: 'change'; sql: string; source: 'user' | 'derived' | 'llm' }
  | { kind: 'change-without-sql'; request: string; hint: string }
  | { kind: 'remember'; text: string }
  | { kind: 'recall' }
  | { kind: 'forget'; what: string | 'all' };

export interface RouteContext {
  /** The user's remembered facts ("my region is West"), used to resolve "my …". */
  memories: string[];
  /**
   * The user's catalog view (the Genie space's tables they can see), loaded only when the model or
   * NL→DML needs it. Absent: the router's fallback (the demo schema in the local profile, none in Azure).
   */
  catalog?: CatalogLoader;
  logger?: Logger;
}

/** Turns a message into an intent. Shared (no per-user state). */
export interface IntentRouter {
  route(text: string, context: RouteContext): Promise<Intent>;
}

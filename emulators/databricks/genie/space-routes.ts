/**
 * Spaces and conversation lists of the Genie emulator, as the service serves them per caller:
 *
 * - `GET /spaces` lists only the spaces the caller holds a permission on, paged (`page_size`,
 *   `page_token` → `next_page_token`); `serialized_space` is never in a list (GenieSpace object docs:
 *   "This field is excluded in List Genie spaces responses").
 * - A space the caller holds no permission on answers 404 `RESOURCE_DOES_NOT_EXIST`, exactly like one
 *   that does not exist (the service does not reveal it; databricks/appkit#168 maps that code to
 *   "You don't have access to this Genie Space").
 * - `include_serialized_space=true` needs CAN EDIT, else 403 PERMISSION_DENIED (Get space docs:
 *   "Requires at least CAN EDIT permission on the space"); sample questions live there.
 * - `GET …/conversations` lists the caller's own conversations, most recent first, `page_size`
 *   default 20 and at most 100; `include_all=true` needs CAN MANAGE (List conversations docs).
 */
import { HttpApiError, type WorkspaceUser } from '../engine-types';
import { atLeast, levelOf, type GenieSpaceDefinition, type SpaceLevel } from './spaces';
import type { ConversationRecord } from './state';
import { notFound } from './wire';

export function requireSpace(spaces: GenieSpaceDefinition[], id: string, user: WorkspaceUser, wanted: SpaceLevel = 'CAN_RUN'): GenieSpaceDefinition {
  const space = spaces.find((s) => s.spaceId === id);
  const level = space ? levelOf(space, user) : undefined;
  if (!space || level === undefined) throw notFound(`Genie space ${id}`);
  if (!atLeast(level, wanted)) throw new HttpApiError(403, 'PERMISSION_DENIED', `You need ${wanted.replace('_', ' ')} on Genie space ${id}.`);
  return space;
}

function pageSize(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('page_size');
  if (raw === null || raw === '' || raw === '0') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid page_size: ${raw}`);
  return Math.min(n, max);
}

function pageOffset(url: URL): number {
  const token = url.searchParams.get('page_token');
  if (!token) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
  if (!Number.isInteger(offset) || offset < 0) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Invalid page_token.');
  return offset;
}

function page<T>(items: T[], url: URL, fallback: number, max: number): { items: T[]; next: string | undefined } {
  const offset = pageOffset(url);
  const size = pageSize(url, fallback, max);
  const end = offset + size;
  return { items: items.slice(offset, end), next: end < items.length ? Buffer.from(`o:${end}`).toString('base64url') : undefined };
}

export function spaceJson(space: GenieSpaceDefinition, serialized: boolean): Record<string, unknown> {
  const base = { space_id: space.spaceId, title: space.title, description: space.description, warehouse_id: space.warehouseId };
  if (!serialized) return base;
  const serializedSpace = {
    version: 2,
    config: { sample_questions: space.sampleQuestions.map((question, i) => ({ id: `${space.spaceId.slice(0, 24)}${String(i).padStart(8, '0')}`, question: [question] })) },
    data_sources: { tables: space.tables.map((identifier) => ({ identifier })) },
  };
  return { ...base, serialized_space: JSON.stringify(serializedSpace) };
}

export function listSpacesBody(spaces: GenieSpaceDefinition[], user: WorkspaceUser, url: URL): Record<string, unknown> {
  const visible = spaces.filter((s) => levelOf(s, user) !== undefined);
  const { items, next } = page(visible, url, 100, 100);
  return { spaces: items.map((s) => spaceJson(s, false)), ...(next ? { next_page_token: next } : {}) };
}

export function getSpaceBody(spaces: GenieSpaceDefinition[], id: string, user: WorkspaceUser, url: URL): Record<string, unknown> {
  const serialized = url.searchParams.get('include_serialized_space') === 'true';
  return spaceJson(requireSpace(spaces, id, user, serialized ? 'CAN_EDIT' : 'CAN_VIEW'), serialized);
}

export function listConversationsBody(space: GenieSpaceDefinition, user: WorkspaceUser, url: URL, list: (all: boolean) => ConversationRecord[]): Record<string, unknown> {
  const all = url.searchParams.get('include_all') === 'true';
  if (all) requireSpace([space], space.spaceId, user, 'CAN_MANAGE');
  const { items, next } = page(list(all), url, 20, 100);
  return {
    conversations: items.map((c) => ({ conversation_id: c.conversationId, title: c.title, created_timestamp: c.createdAt })),
    ...(next ? { next_page_token: next } : {}),
  };
}

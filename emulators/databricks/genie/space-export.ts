/**
 * `GET /api/2.0/genie/spaces/{space_id}[?include_serialized_space=true]` as the Databricks REST API
 * answers it. The `GenieSpace` response carries `space_id`, `title`, `description`, `warehouse_id`;
 * `serialized_space` (a JSON string whose `data_sources.tables[].identifier` are the space's tables)
 * comes only with `include_serialized_space=true`, which "Requires at least CAN EDIT permission on the
 * space" (databricks-sdk-py `service/dashboards.py` `GenieAPI.get_space`, generated from the REST
 * spec). A caller without CAN EDIT gets 403 PERMISSION_DENIED here.
 */
import type { IncomingMessage } from 'node:http';
import { HttpApiError, type WorkspaceUser } from '../engine-types';
import type { GenieSpaceDefinition } from './spaces';
import { spaceJson } from './wire';

const hexId = (seed: string): string => Buffer.from(seed).toString('hex').padEnd(32, '0').slice(0, 32);

function canEdit(space: GenieSpaceDefinition, user: WorkspaceUser): boolean {
  return (space.editors ?? []).some((p) => p === `user:${user.upn.toLowerCase()}` || (p.startsWith('group:') && user.groups.includes(p.slice(6))));
}

/** The serialized space (version 2 layout: config, data_sources, instructions), tables sorted by identifier. */
export function serializedSpace(space: GenieSpaceDefinition): string {
  return JSON.stringify({
    version: 2,
    config: { sample_questions: space.examples.map((e, i) => ({ id: hexId(`q${i}`), question: [e.question] })) },
    data_sources: { tables: [...space.tables].sort().map((identifier) => ({ identifier })) },
    instructions: { text_instructions: [{ id: hexId('instructions'), content: space.instructions.map((line) => `${line}\n`) }] },
  });
}

export function spaceResponse(space: GenieSpaceDefinition, user: WorkspaceUser, req: IncomingMessage): Record<string, unknown> {
  const query = new URL(req.url ?? '/', 'https://localhost').searchParams.get('include_serialized_space');
  if (query !== 'true') return spaceJson(space);
  if (!canEdit(space, user)) {
    throw new HttpApiError(403, 'PERMISSION_DENIED', `User ${user.upn} does not have Can Edit permission on Genie space ${space.spaceId}.`);
  }
  return { ...spaceJson(space), serialized_space: serializedSpace(space) };
}

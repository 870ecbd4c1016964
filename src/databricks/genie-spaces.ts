/**
 * Genie spaces as the user sees them (their OBO token): list (all pages) and get one. A space the
 * user may not open answers 404 RESOURCE_DOES_NOT_EXIST, like one that does not exist; both become
 * GENIE.SPACE_UNAVAILABLE. Sample questions are read from `serialized_space`, which the service
 * serves only to CAN EDIT and above: for anyone else they are simply absent (never an error).
 */
import { z } from 'zod';
import { AppError, hasCode } from '../errors';
import { genieFetch, normalizeHost, type GenieTransport } from './genie-http';
import { parseWire } from './genie-wire';

export interface GenieSpaceInfo {
  spaceId: string;
  title: string;
  description: string;
}

export interface GenieSpaceDetails extends GenieSpaceInfo {
  /** Undefined when the user may not read them (below CAN EDIT). */
  sampleQuestions: string[] | undefined;
}

export interface GenieSpacesClient {
  /** Every space the user can see, all pages followed (at most `MAX_SPACE_PAGES`). */
  listSpaces(): Promise<GenieSpaceInfo[]>;
  /** One space as the user; GENIE.SPACE_UNAVAILABLE when it does not exist for them. */
  getSpace(spaceId: string, options?: { sampleQuestions?: boolean }): Promise<GenieSpaceDetails>;
}

export const MAX_SPACE_PAGES = 20;

const spaceSchema = z.object({ space_id: z.string().min(1), title: z.string().nullish(), description: z.string().nullish(), serialized_space: z.string().nullish() });
const listSchema = z.object({ spaces: z.array(spaceSchema).nullish(), next_page_token: z.string().nullish() });
const serializedSchema = z.object({
  config: z.object({ sample_questions: z.array(z.object({ question: z.array(z.string()).nullish() })).nullish() }).nullish(),
});

export interface GenieRestOptions {
  host: string;
  getToken: () => Promise<string>;
  fetchImpl?: typeof fetch;
  requestTimeoutMs?: number;
}

export function transportOf(options: GenieRestOptions): GenieTransport {
  return { host: normalizeHost(options.host), getToken: options.getToken, fetchImpl: options.fetchImpl ?? fetch, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
}

const infoOf = (s: z.infer<typeof spaceSchema>): GenieSpaceInfo => ({ spaceId: s.space_id, title: s.title?.trim() || s.space_id, description: s.description?.trim() ?? '' });

/** Sample questions from a `serialized_space` string; unreadable content gives none. */
export function sampleQuestionsOf(serialized: string | null | undefined): string[] {
  if (!serialized) return [];
  try {
    const parsed = serializedSchema.safeParse(JSON.parse(serialized));
    if (!parsed.success) return [];
    return (parsed.data.config?.sample_questions ?? []).flatMap((q) => q.question ?? []).map((q) => q.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

export const spacePath = (spaceId: string): string => `/api/2.0/genie/spaces/${encodeURIComponent(spaceId)}`;

/** A 404 on a space path means "no such space for you"; anything else stays what it was. */
export function spaceUnavailable(error: unknown, spaceId: string): unknown {
  const status = (error as AppError | undefined)?.details?.httpStatus;
  if (hasCode(error, 'DATABRICKS.GENIE_FAILED') && status === 404) {
    return new AppError('GENIE.SPACE_UNAVAILABLE', `Genie space ${spaceId} does not exist or is not visible to this user.`, { cause: error, details: { spaceId } });
  }
  return error;
}

export function createGenieSpacesClient(options: GenieRestOptions): GenieSpacesClient {
  const transport = transportOf(options);
  return {
    async listSpaces() {
      const spaces: GenieSpaceInfo[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_SPACE_PAGES; page++) {
        const query = token ? `?page_token=${encodeURIComponent(token)}` : '';
        const body = parseWire(listSchema, await genieFetch(transport, 'GET', `/api/2.0/genie/spaces${query}`, undefined, undefined), 'space list');
        spaces.push(...(body.spaces ?? []).map(infoOf));
        token = body.next_page_token ?? undefined;
        if (!token) break;
      }
      return spaces;
    },
    async getSpace(spaceId, getOptions = {}) {
      const get = async (serialized: boolean): Promise<z.infer<typeof spaceSchema>> => {
        const path = `${spacePath(spaceId)}${serialized ? '?include_serialized_space=true' : ''}`;
        try {
          return parseWire(spaceSchema, await genieFetch(transport, 'GET', path, undefined, undefined), 'space');
        } catch (error) {
          throw spaceUnavailable(error, spaceId);
        }
      };
      if (getOptions.sampleQuestions) {
        try {
          const space = await get(true);
          return { ...infoOf(space), sampleQuestions: sampleQuestionsOf(space.serialized_space) };
        } catch (error) {
          if (!hasCode(error, 'DATABRICKS.PERMISSION_DENIED')) throw error;
        }
      }
      return { ...infoOf(await get(false)), sampleQuestions: undefined };
    },
  };
}

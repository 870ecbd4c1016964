import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { keepIdleConnections } from '../shared/idle-connections';
import type { AddressInfo } from 'node:net';
import { ActivityLog } from './activity-log';
import { demoMembers, personalConversationId, TEAM, type TeamsMember } from './accounts';
import { StreamingRules, type StreamingRulesOptions, type StreamViolation } from './streaming-rules';
import type { Activity } from './types';

/**
 * A local Bot Framework connector: the endpoints a bot calls on `serviceUrl` to post, reply to,
 * update and delete activities, create 1:1 conversations and read members. Everything the bot
 * sends is recorded in `log`. Accepts any bearer token (local mode has no channel credentials).
 */
export interface LocalConnector {
  /** The `serviceUrl` to put on activities (ends with `/`). */
  serviceUrl: string;
  log: ActivityLog;
  /** Requests the bot made, in order (method + decoded path), for assertions on the wire. */
  requests: { method: string; path: string; at: number }[];
  /** Teams' streaming rules as enforced here; `streaming.violations` lists every refused streaming request. */
  streaming: StreamingRules;
  stop(): Promise<void>;
}

export interface ConnectorOptions {
  port?: number;
  tenantId: string;
  log?: ActivityLog;
  members?: (conversationId: string) => TeamsMember[];
  /** Teams' streaming limits (tests shorten the 2-minute one). */
  streaming?: StreamingRulesOptions;
  /** Called for each streaming request refused or dropped the way Teams would. */
  onStreamViolation?: (violation: StreamViolation) => void;
}

export async function startConnector(options: ConnectorOptions): Promise<LocalConnector> {
  const log = options.log ?? new ActivityLog();
  const members = options.members ?? (() => demoMembers(options.tenantId));
  const requests: LocalConnector['requests'] = [];
  const streaming = new StreamingRules(options.streaming);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ method: req.method ?? 'GET', path: decodeURIComponent(path), at: Date.now() });
    readJson(req)
      .then((body) => route(req.method ?? 'GET', path.split('/').filter(Boolean).map(decodeURIComponent), body))
      .then(({ status, body }) => send(res, status, body))
      .catch((error: unknown) => send(res, 400, { error: { code: 'BadArgument', message: (error as Error).message } }));
  });

  async function route(method: string, parts: string[], body: unknown): Promise<{ status: number; body: unknown }> {
    const [v3, area, id, sub, subId] = parts;
    if (v3 !== 'v3') return notFound();
    if (area === 'conversations' && id === undefined && method === 'POST') return createConversation(body as CreateConversation);
    if (area === 'conversations' && id !== undefined) {
      if (sub === 'activities' && method === 'POST') {
        const activity = body as Activity;
        const replyToId = subId ?? activity.replyToId;
        return postActivity(id, { ...activity, replyToId });
      }
      if (sub === 'activities' && subId !== undefined && method === 'PUT') {
        const record = log.update(subId, body as Activity, 'connector');
        return record ? { status: 200, body: { id: record.id } } : notFound('ActivityNotFound');
      }
      if (sub === 'activities' && subId !== undefined && method === 'DELETE') {
        return log.delete(subId) ? { status: 200, body: {} } : notFound('ActivityNotFound');
      }
      if (sub === 'members' && method === 'GET') {
        const all = members(id);
        if (subId === undefined) return { status: 200, body: all };
        const member = all.find((m) => m.id === subId || m.aadObjectId === subId);
        return member ? { status: 200, body: member } : notFound('MemberNotFoundInConversation');
      }
      if (sub === 'pagedmembers' && method === 'GET') return { status: 200, body: { members: members(id) } };
    }
    if (area === 'teams' && id !== undefined && method === 'GET') {
      if (sub === 'conversations') return { status: 200, body: { conversations: [{ id: TEAM.channel.id, name: TEAM.channel.name }] } };
      if (sub === undefined) return { status: 200, body: { id, name: TEAM.name, aadGroupId: TEAM.aadGroupId } };
    }
    return notFound();
  }

  /**
   * A streamed message (streaming-ux, "Stream message through REST API"): the first request answers
   * `201 {id}`, the stream id, which is also the id of the message the final request posts; later
   * requests answer `202 {}`. Each typing update is kept as its own record, as before streaming.
   */
  function postActivity(conversationId: string, activity: Activity): { status: number; body: unknown } {
    const before = streaming.violations.length;
    const verdict = streaming.check(conversationId, activity);
    streaming.violations.slice(before).forEach((v) => options.onStreamViolation?.(v));
    if (verdict.kind === 'refused') return { status: verdict.status, body: verdict.body };
    if (verdict.kind === 'plain') return { status: 200, body: { id: log.add(conversationId, activity).id } };
    if (verdict.kind === 'start') {
      const streamId = log.reserveId();
      streaming.started(conversationId, streamId, activity);
      log.add(conversationId, activity);
      return { status: 201, body: { id: streamId } };
    }
    if (verdict.kind === 'final') log.add(conversationId, activity, verdict.streamId);
    else log.add(conversationId, activity);
    return { status: 202, body: {} };
  }

  function createConversation(body: CreateConversation): { status: number; body: unknown } {
    const member = body.members?.[0];
    if (!member?.id) return { status: 400, body: { error: { code: 'BadArgument', message: 'members[0].id is required' } } };
    const conversationId = personalConversationId(member.id);
    const created = body.activity ? log.add(conversationId, body.activity) : undefined;
    return { status: 201, body: { id: conversationId, activityId: created?.id, serviceUrl } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    keepIdleConnections(server);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    serviceUrl,
    log,
    requests,
    streaming,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface CreateConversation {
  isGroup?: boolean;
  members?: { id?: string }[];
  activity?: Activity;
  tenantId?: string;
}

function notFound(code = 'NotFound'): { status: number; body: unknown } {
  return { status: 404, body: { error: { code, message: 'Not found on the local connector' } } };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('Body is not JSON'));
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body ?? {}));
}

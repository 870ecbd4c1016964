/** The Bot Framework activity shapes the Teams-like driver sends and records (a subset of the schema). */
export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

export interface ConversationAccount {
  id: string;
  conversationType?: string;
  tenantId?: string;
  isGroup?: boolean;
  name?: string;
}

export interface Attachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

export interface Activity {
  type: string;
  id?: string;
  name?: string;
  timestamp?: string;
  serviceUrl?: string;
  channelId?: string;
  from?: ChannelAccount;
  recipient?: ChannelAccount;
  conversation?: ConversationAccount;
  replyToId?: string;
  text?: string;
  textFormat?: string;
  locale?: string;
  attachments?: Attachment[];
  entities?: Record<string, unknown>[];
  channelData?: Record<string, unknown>;
  value?: unknown;
  [key: string]: unknown;
}

export type ActivityEventKind = 'sent' | 'updated' | 'deleted';

/** Where a new version of an activity came from: the bot through the connector, or an invoke response. */
export type UpdateSource = 'connector' | 'invoke-response';

export interface ActivityVersion {
  activity: Activity;
  source: UpdateSource | 'original';
  at: number;
  /** For invoke responses: the object id of the only person who sees this version (Teams' user-specific view). */
  viewer?: string;
}

export interface RecordedActivity {
  /** Id the connector assigned (what the bot gets back as `{id}`). */
  id: string;
  conversationId: string;
  /** The latest version everyone sees (the original or the bot's last update through the connector). */
  activity: Activity;
  /** Every version, oldest first: the original, then each update. */
  versions: ActivityVersion[];
  deleted: boolean;
  receivedAt: number;
}

export interface ActivityEvent {
  kind: ActivityEventKind;
  record: RecordedActivity;
  /** The version this event is about (the new one for updates). */
  version: ActivityVersion;
}

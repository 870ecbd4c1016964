import { z } from 'zod';

/**
 * The stack file (`.local/stack.json`) written by `npm start` / `npm run emulators` and read by the
 * bot in local mode, the chat driver and the tests. Only ever holds local emulator values.
 */
export const localStackSchema = z.object({
  tenantId: z.string().min(1),
  authority: z.string().url(),
  caCertPath: z.string().min(1),
  ssoTokenUrl: z.string().url(),
  botAppId: z.string().min(1),
  clientSecret: z.string().min(1),
  appIdUri: z.string().min(1),
  entra: z.object({ baseUrl: z.string().url(), controlUrl: z.string().url() }),
  databricks: z.object({
    host: z.string().min(1),
    port: z.number().int().positive(),
    httpPath: z.string().min(1),
    warehouseId: z.string().min(1),
    genieSpaceId: z.string().min(1),
    /** The demo allow-list (`DATABRICKS_GENIE_SPACE_IDS` overrides it). */
    genieSpaceIds: z.array(z.string()).optional(),
    controlUrl: z.string().url(),
  }),
  cosmos: z.object({ endpoint: z.string().url(), key: z.string().min(1) }),
  graph: z.object({ baseUrl: z.string().url(), controlUrl: z.string().url() }),
  /** The Azure OpenAI emulator; the bot uses it only when started in model mode (`npm start -- --model`). */
  openai: z.object({ endpoint: z.string().url(), apiKey: z.string().min(1), deployment: z.string().min(1), controlUrl: z.string().url() }).optional(),
  tokenCacheKey: z.string().min(1),
  approversGroupId: z.string().optional(),
  bot: z.object({ messagesUrl: z.string().url() }).optional(),
});

export type LocalStack = z.infer<typeof localStackSchema>;

export const DEFAULT_STACK_FILE = '.local/stack.json';

import { z } from 'zod';

const account = z.object({ id: z.string().min(1) }).passthrough();

/** The fields every activity we route relies on; the SDK's own check only requires `type`. */
const activityShape = z
  .object({
    type: z.string().min(1).max(100),
    id: z.string().max(500).optional(),
    serviceUrl: z.string().url(),
    channelId: z.string().min(1).max(100),
    from: account,
    recipient: account,
    conversation: account,
    text: z.string().optional(),
    name: z.string().max(200).optional(),
  })
  .passthrough();

/** Undefined when the body can be handed to the adapter, else a short reason for the 400. */
export function activityProblem(body: unknown): string | undefined {
  const parsed = activityShape.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

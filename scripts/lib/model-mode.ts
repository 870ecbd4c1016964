import type { LocalStack } from '../../src/config';
import { SETTINGS } from '../../src/config';
import { readEnvFiles } from './local-only';

/**
 * `npm start -- --model` (or `LOCAL_LLM=emulator npm start`): the bot routes with a language model,
 * the Azure OpenAI emulator of the stack, through the production client. The default stays the
 * deterministic router. A language-model endpoint set by the user is refused in model mode, so the
 * emulator is never silently replaced (nor a real endpoint silently replaced by it).
 */
/** `configured`: the user's own AZURE_OPENAI_* / OPENAI_* settings reach the bot unchanged. */
export type ModelMode = 'none' | 'emulator' | 'configured';
export type ModelModeResult = { ok: true; mode: ModelMode } | { ok: false; error: string };

const ENDPOINT_SETTINGS = SETTINGS.filter((s) => s.group === 'llm' && s.name !== 'AZURE_OPENAI_API_VERSION' && s.name !== 'LLM_TIMEOUT_MS').map((s) => s.name);

export function modelModeFrom(env: NodeJS.ProcessEnv, argv: readonly string[], cwd: string): ModelModeResult {
  const raw = env.LOCAL_LLM?.trim().toLowerCase() ?? '';
  if (raw !== '' && raw !== 'emulator' && raw !== 'none') return { ok: false, error: `LOCAL_LLM must be emulator or none (or unset), not "${env.LOCAL_LLM ?? ''}".` };
  const files = readEnvFiles(cwd);
  const set = ENDPOINT_SETTINGS.filter((name) => (env[name] ?? files[name] ?? '').trim() !== '');
  const emulator = argv.includes('--model') || raw === 'emulator';
  if (!emulator) return { ok: true, mode: set.length > 0 ? 'configured' : 'none' };
  if (set.length > 0) return { ok: false, error: `model mode uses the Azure OpenAI emulator, but ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set; unset ${set.length === 1 ? 'it' : 'them'} or start without --model.` };
  return { ok: true, mode: 'emulator' };
}

/** The bot's settings for the mode: the emulator's endpoint, key and deployment, or nothing. */
export function modelEnv(mode: ModelMode, stack: LocalStack): NodeJS.ProcessEnv {
  if (mode !== 'emulator') return {};
  if (!stack.openai) throw new Error('the stack file has no Azure OpenAI emulator (restart the emulators)');
  return { AZURE_OPENAI_ENDPOINT: stack.openai.endpoint, AZURE_OPENAI_API_KEY: stack.openai.apiKey, AZURE_OPENAI_DEPLOYMENT: stack.openai.deployment };
}

/** The line `npm start` prints about the language model. */
export function modelBanner(mode: ModelMode, stack: LocalStack): string {
  if (mode === 'emulator' && stack.openai) return `language model: emulated Azure OpenAI at ${stack.openai.endpoint} (deployment ${stack.openai.deployment})`;
  if (mode === 'configured') return 'language model: the endpoint your AZURE_OPENAI_* / OPENAI_* settings name';
  return 'language model: none, the deterministic router answers (npm start -- --model routes with the emulated Azure OpenAI)';
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelBanner, modelEnv, modelModeFrom } from '../../../scripts/lib/model-mode';
import type { LocalStack } from '../../../src/config';

const empty = mkdtempSync(join(tmpdir(), 'model-mode-'));
const openai = { endpoint: 'https://localhost:47005', apiKey: 'emulator-key', deployment: 'gpt-4o', controlUrl: 'https://localhost:47005/_control' };
const stack = { openai } as LocalStack;

describe('npm start model mode (--model, LOCAL_LLM)', () => {
  it('when neither --model nor LOCAL_LLM is given, then the deterministic router answers and the banner says so', () => {
    const result = modelModeFrom({}, [], empty);
    expect(result).toEqual({ ok: true, mode: 'none' });
    expect(modelEnv('none', stack)).toEqual({});
    expect(modelBanner('none', stack)).toMatch(/^language model: none, the deterministic router answers/);
  });

  it('when --model or LOCAL_LLM=emulator is given, then the bot gets the emulator as its Azure OpenAI endpoint and the banner names it', () => {
    expect(modelModeFrom({}, ['--model'], empty)).toEqual({ ok: true, mode: 'emulator' });
    expect(modelModeFrom({ LOCAL_LLM: ' Emulator ' }, [], empty)).toEqual({ ok: true, mode: 'emulator' });
    expect(modelEnv('emulator', stack)).toEqual({ AZURE_OPENAI_ENDPOINT: openai.endpoint, AZURE_OPENAI_API_KEY: openai.apiKey, AZURE_OPENAI_DEPLOYMENT: 'gpt-4o' });
    expect(modelBanner('emulator', stack)).toBe('language model: emulated Azure OpenAI at https://localhost:47005 (deployment gpt-4o)');
  });

  it('when LOCAL_LLM has another value, then npm start stops and names the allowed values', () => {
    expect(modelModeFrom({ LOCAL_LLM: 'gpt' }, [], empty)).toEqual({ ok: false, error: 'LOCAL_LLM must be emulator or none (or unset), not "gpt".' });
  });

  it('when a model endpoint is configured (environment or .env) and --model is asked, then it is refused rather than replaced', () => {
    expect(modelModeFrom({ OPENAI_BASE_URL: 'https://llm.example.com/v1' }, ['--model'], empty)).toEqual({ ok: false, error: expect.stringContaining('OPENAI_BASE_URL is set') });
    const withEnvFile = mkdtempSync(join(tmpdir(), 'model-mode-env-'));
    writeFileSync(join(withEnvFile, '.env'), 'AZURE_OPENAI_ENDPOINT=https://aoai.example.com\n');
    expect(modelModeFrom({}, ['--model'], withEnvFile)).toEqual({ ok: false, error: expect.stringContaining('AZURE_OPENAI_ENDPOINT is set') });
    expect(modelModeFrom({}, [], withEnvFile)).toEqual({ ok: true, mode: 'configured' });
  });

  it('when the stack file predates the emulator, then model mode says to restart the emulators', () => {
    expect(() => modelEnv('emulator', {} as LocalStack)).toThrow(/restart the emulators/);
  });
});

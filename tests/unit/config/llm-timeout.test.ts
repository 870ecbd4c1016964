import { loadConfig } from '../../../src/config';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

const LLM = { AZURE_OPENAI_ENDPOINT: 'https://aoai.example.com', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_DEPLOYMENT: 'gpt-4o' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  return configProblems(env);
}

describe('LLM_TIMEOUT_MS (the bound on each language-model request)', () => {
  it('when unset, then each model request is bounded by the default 15 s', () => {
    const config = loadConfig({ env: buildAzureEnv(LLM) });
    expect(config.llm).toEqual(expect.objectContaining({ kind: 'azure-openai', timeoutMs: 15_000 }));
  });

  it('when set, then both endpoint kinds carry it', () => {
    expect(loadConfig({ env: buildAzureEnv({ ...LLM, LLM_TIMEOUT_MS: '2500' }) }).llm).toEqual(expect.objectContaining({ timeoutMs: 2500 }));
    const compatible = { OPENAI_BASE_URL: 'https://llm.example.com/v1', OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm', LLM_TIMEOUT_MS: '900' };
    expect(loadConfig({ env: buildAzureEnv(compatible) }).llm).toEqual(expect.objectContaining({ kind: 'openai-compatible', timeoutMs: 900 }));
  });

  it('when it is not a whole number from 100 to 600000, then start-up stops and names the setting and the value', () => {
    for (const value of ['0', '99', '600001', 'soon', '1.5']) {
      expect(problemsOf(buildAzureEnv({ ...LLM, LLM_TIMEOUT_MS: value }))).toEqual([`LLM_TIMEOUT_MS: expected a whole number from 100 to 600000, got "${value}"`]);
    }
  });
});

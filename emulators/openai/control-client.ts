import type { OpenAiFaultRule, RecordedRequest } from './controls';

/** Typed access to the Azure OpenAI emulator's test controls, per deployment. */
export interface OpenAiControlClient {
  /** Creates a deployment (idempotent): each test file uses its own, so faults and recordings stay apart. */
  addDeployment(name: string): Promise<void>;
  requests(deployment: string): Promise<RecordedRequest[]>;
  fault(deployment: string, rule: OpenAiFaultRule): Promise<void>;
  clearFaults(deployment: string): Promise<void>;
  /** Forgets the deployment's faults and recorded requests. */
  reset(deployment: string): Promise<void>;
}

export function openAiControlClient(controlUrl: string): OpenAiControlClient {
  const at = (deployment: string, path: string): string => `${controlUrl}/deployments/${encodeURIComponent(deployment)}${path}`;
  const post = async (url: string, body: unknown): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`OpenAI emulator ${url} answered ${response.status}: ${await response.text()}`);
  };
  return {
    addDeployment: (name) => post(`${controlUrl}/deployments`, { name }),
    requests: async (deployment) => {
      const response = await fetch(at(deployment, '/requests'));
      if (!response.ok) throw new Error(`OpenAI emulator requests of ${deployment}: HTTP ${response.status}`);
      return ((await response.json()) as { requests: RecordedRequest[] }).requests;
    },
    fault: (deployment, rule) => post(at(deployment, '/faults'), rule),
    clearFaults: (deployment) => post(at(deployment, '/faults/clear'), {}),
    reset: (deployment) => post(at(deployment, '/reset'), {}),
  };
}

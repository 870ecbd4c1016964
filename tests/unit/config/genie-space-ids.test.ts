import { loadConfig } from '../../../src/config/load';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

const RETAIL = '01ef0000000000000000000000000a1e';
const HR = '01EF00000000000000000000000000E2';

function problems(value: string): string[] {
  return configProblems(buildAzureEnv({ DATABRICKS_GENIE_SPACE_IDS: value }));
}

describe('DATABRICKS_GENIE_SPACE_IDS (the allow-list of Genie spaces)', () => {
  it('when unset, then only the default space is offered (an empty allow-list)', () => {
    expect(loadConfig({ env: buildAzureEnv() }).genie.spaceIds).toEqual([]);
  });

  it('when it lists valid ids with spaces around them, then they are read trimmed and lower-cased', () => {
    expect(loadConfig({ env: buildAzureEnv({ DATABRICKS_GENIE_SPACE_IDS: ` ${RETAIL} , ${HR} ` }) }).genie.spaceIds).toEqual([RETAIL, HR.toLowerCase()]);
  });

  it.each([
    ['a name instead of an id', 'Retail sales', /"Retail sales"/],
    ['an id that is too short', '01efabcdef', /"01efabcdef"/],
    ['a non-hex character', `${RETAIL.slice(0, 31)}g`, /32 hex characters/],
    ['an empty entry (double comma)', `${RETAIL},,${HR}`, /""/],
    ['a trailing comma', `${RETAIL},`, /""/],
    ['a duplicate (different case)', `${HR},${HR.toLowerCase()}`, /listed twice/],
  ])('when it holds %s, then start-up fails naming the bad value', (_what, value, expected) => {
    const found = problems(value).filter((p) => p.startsWith('DATABRICKS_GENIE_SPACE_IDS:'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });
});

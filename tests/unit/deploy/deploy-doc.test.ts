import { SETTINGS } from '../../../src/config/settings';
import { readText } from './support/project';

describe('docs/deploy.md', () => {
  const doc = readText('docs/deploy.md');
  const reference = doc.slice(doc.indexOf('## Settings reference'));

  it('when an operator looks a setting up, then every azure and common setting has a row in the settings reference', () => {
    const names = SETTINGS.filter((s) => s.group === 'azure' || s.group === 'common').map((s) => s.name);
    expect(names.filter((name) => !reference.includes(`\`${name}\``))).toEqual([]);
  });

  it('when the walkthrough names the Databricks setup, then it covers consent, grants, warehouse, Genie and approvers', () => {
    for (const phrase of ['user_impersonation', 'admin-consent', 'USE CATALOG', 'USE SCHEMA', 'SELECT', 'MODIFY', 'CAN USE', 'CAN RUN', 'ROW FILTER', 'SET MASK', 'APPROVERS_GROUP_ID', 'DATABRICKS_GENIE_SPACE_ID', 'DATABRICKS_WAREHOUSE_ID']) {
      expect({ phrase, found: doc.includes(phrase) }).toEqual({ phrase, found: true });
    }
  });
});

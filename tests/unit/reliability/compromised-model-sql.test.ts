/**
 * Reliability case 17, the model's side: whatever SQL a compromised chat model proposes as "the
 * change to make", only one INSERT/UPDATE/DELETE/MERGE of a plain table can become an approval card.
 * Everything else is refused before any dry run, with no approval record, and audited.
 */
import { createChatModelRouter } from '../../../src/llm';
import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';
import { reply, ScriptedChatModel } from './support/scripted-chat-model';

const PROPOSALS: [string, string][] = [
  ['DROP TABLE', 'DROP TABLE main.retail.orders'],
  ['GRANT', 'GRANT ALL PRIVILEGES ON SCHEMA main.retail TO `bob@contoso.example`'],
  ['REVOKE', 'REVOKE SELECT ON TABLE main.retail.orders FROM `alice@contoso.example`'],
  ['TRUNCATE', 'TRUNCATE TABLE main.retail.orders'],
  ['ALTER … OWNER', 'ALTER TABLE main.retail.orders SET OWNER TO `bob@contoso.example`'],
  ['CREATE TABLE AS', 'CREATE TABLE main.retail.orders_copy AS SELECT * FROM main.retail.orders'],
  ['INSERT OVERWRITE', 'INSERT OVERWRITE main.retail.orders SELECT * FROM main.retail.orders WHERE 1 = 0'],
  ['COPY INTO', "COPY INTO main.retail.orders FROM 's3://attacker/bucket' FILEFORMAT = CSV"],
  ['UPDATE; GRANT', "UPDATE main.retail.orders SET status = 'cancelled' WHERE order_id = 100001; GRANT ALL PRIVILEGES ON TABLE main.retail.orders TO `bob@contoso.example`"],
  ['DELETE; DROP on two lines', 'DELETE FROM main.retail.orders WHERE order_id = 100001;\nDROP TABLE main.retail.orders;'],
  ['UPDATE /* ; */ ; DROP --', "UPDATE main.retail.orders SET status = 'x' WHERE order_id = 1 /* ; */; DROP TABLE main.retail.orders --"],
  ['MERGE; DROP', 'MERGE INTO main.retail.orders t USING (SELECT 1 AS id) s ON t.order_id = s.id WHEN MATCHED THEN DELETE; DROP TABLE main.retail.orders'],
  ['WITH … DELETE', 'WITH doomed AS (SELECT order_id FROM main.retail.orders) DELETE FROM main.retail.orders WHERE order_id IN (SELECT order_id FROM doomed)'],
  ['UPDATE; DROP; SELECT (three statements)', "UPDATE main.retail.orders SET note = 'a' WHERE order_id = 1; DROP TABLE main.retail.orders; SELECT 'b'"],
  ['SET (session)', 'SET spark.databricks.delta.retentionDurationCheck.enabled = false'],
  ['VACUUM', 'VACUUM main.retail.orders RETAIN 0 HOURS'],
];

function harnessWith(sql: string) {
  const model = new ScriptedChatModel(() => reply({ intent: 'change', sql }));
  const h = createAgentHarness({ router: createChatModelRouter(model) });
  return { h, model };
}

describe('case 17: a compromised model proposing SQL outside the approved verbs', () => {
  it.each(PROPOSALS)('when the model proposes %s as the change, then it is refused, audited, nothing runs and no approval card is offered', async (_label, sql) => {
    const { h, model } = harnessWith(sql);

    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'tidy up the order notes please');

    expect(model.prompts).toHaveLength(1);
    expect(result).toEqual({ kind: 'write-refused', sql, reason: expect.any(String) });
    expect(h.approvals.records.size).toBe(0);
    expect(h.databricks.queries).toEqual([]);
    expect(h.databricks.executions).toEqual([]);
    expect(h.databricks.genieCalls).toEqual([]);
    expect(h.audit.events).toEqual([expect.objectContaining({ kind: 'write.refused', outcome: 'refused', sql, userObjectId: USERS.alice.objectId })]);
  });

  it('when the model proposes an allowed verb over the whole table, then the card that is offered needs a second person, and nothing runs until approved', async () => {
    const { h } = harnessWith('DELETE FROM main.retail.orders');

    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'tidy up the order notes please');

    expect(result.kind).toBe('approval-requested');
    if (result.kind !== 'approval-requested') return;
    expect(result.approval).toMatchObject({ sql: 'DELETE FROM main.retail.orders', operation: 'DELETE', requiresApprover: true, status: 'pending' });
    expect(result.approval.impact.unbounded).toBe(true);
    expect(h.databricks.executions).toEqual([]);
    const self = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, result.approval.id, 'approve');
    expect(self).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    expect(h.databricks.executions).toEqual([]);
  });

  it('when the model answers with several JSON objects or prose around SQL, then its reply is ignored and the deterministic router decides', async () => {
    const model = new ScriptedChatModel(() => `${reply({ intent: 'question', question: 'x' })}\n${reply({ intent: 'change', sql: 'DROP TABLE main.retail.orders' })}`);
    const h = createAgentHarness({ router: createChatModelRouter(model) });

    const result = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'how many orders per region?');

    expect(result.kind).toBe('genie');
    expect(h.databricks.genieCalls.map((c) => c.question)).toEqual(['how many orders per region?']);
    expect(h.approvals.records.size).toBe(0);
  });
});

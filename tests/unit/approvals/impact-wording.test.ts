import { estimateImpact } from "../../../src/approvals";
import type { UserDatabricks } from "../../../src/agents/ports";
import type { SqlClient } from "../../../src/databricks/types";
import { unusedGenieExtras } from "../../fakes/unused-genie-extras";

/** A warehouse that answers the dry-run COUNT(*) with `count` (pure wording logic; no identity involved). */
function counting(count: number): UserDatabricks {
  const sql: Pick<SqlClient, "query"> = {
    query: async () => ({
      statementId: "s",
      columns: [{ name: "count(1)", type: "BIGINT" }],
      rows: [[String(count)]],
      totalRowCount: 1,
      truncated: false,
    }),
  };
  return {
    ...unusedGenieExtras(),
    genie: () => {
      throw new Error("unused");
    },
    sql: () => sql as SqlClient,
    ensureToken: async () => undefined,
    close: async () => undefined,
  };
}

describe("the impact sentence on an approval card", () => {
  it.each([
    [
      1,
      "DELETE FROM main.retail.orders WHERE order_id = 7",
      "1 row of main.retail.orders would be deleted",
    ],
    [
      115,
      "DELETE FROM main.retail.orders WHERE region = 'West'",
      "115 rows of main.retail.orders would be deleted",
    ],
    [
      1,
      "UPDATE main.retail.orders SET status = 'x' WHERE order_id = 7",
      "1 row of main.retail.orders would be updated",
    ],
  ])(
    'when the dry run counts %i for %s, then the card says “%s”',
    async (count, sql, sentence) => {
      const result = await estimateImpact(sql, counting(count));
      expect(result).toMatchObject({
        ok: true,
        impact: { rows: count, description: sentence },
      });
    },
  );
});

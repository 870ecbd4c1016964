/**
 * Builds the workspace inside PGlite: one Postgres role per workspace user (named by UPN, so
 * `current_user` is the UPN) and per group, tables owned by a non-superuser owner, privileges from
 * GRANTS, RLS policies from row filters (FORCEd where the owner reads through a masking view).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Directory } from '../../shared/directory';
import { informationSchemaSql } from './information-schema';
import { setUpHr } from './hr';
import { generateSeed, REGION_TARGETS, REGIONS, type SeedData } from './seed-data';
import { GRANTS, OWNER_ROLE, PG_BASE_SCHEMA, PG_SCHEMA, PG_SECURITY_SCHEMA, TABLES, type Privilege, type WorkspaceTable } from './workspace';

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const PG_PRIVILEGES: Record<Exclude<Privilege, 'USE'>, string> = { SELECT: 'SELECT', MODIFY: 'INSERT, UPDATE, DELETE' };

function roleOf(principal: string): string {
  const [, name] = /^(?:group|user):(.+)$/.exec(principal) ?? [];
  if (!name) throw new Error(`Bad principal in workspace grants: ${principal}`);
  return ident(name);
}

function securitySql(): string {
  const s = PG_SECURITY_SCHEMA;
  return `
    CREATE SCHEMA ${s};
    GRANT USAGE ON SCHEMA ${s} TO PUBLIC;
    CREATE FUNCTION ${s}.is_member(grp text) RETURNS boolean LANGUAGE sql STABLE AS
      $$ SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = grp AND pg_has_role(current_user, r.oid, 'MEMBER')) $$;
    CREATE FUNCTION ${s}.load_slice() RETURNS integer LANGUAGE sql STABLE AS
      $$ SELECT CASE WHEN current_user ~ '^load[0-9]{2}@' THEN substring(current_user from 5 for 2)::integer - 1 END $$;
    CREATE DOMAIN ${s}.string AS text;
    CREATE DOMAIN ${s}.double AS double precision;
    CREATE DOMAIN ${s}.long AS bigint;
    CREATE DOMAIN ${s}.tinyint AS smallint;
    CREATE FUNCTION ${s}.mask_email(email text) RETURNS text LANGUAGE sql IMMUTABLE AS
      $$ SELECT CASE WHEN email IS NULL THEN NULL ELSE '****@' || split_part(email, '@', 2) END $$;
  `;
}

function tableSql(table: WorkspaceTable): string {
  const columns = table.columns.map((c) => `${ident(c.name)} ${c.pgType}${c.name === table.primaryKey ? ' PRIMARY KEY' : ''}`).join(', ');
  const masked = table.masks !== undefined;
  const home = masked ? PG_BASE_SCHEMA : PG_SCHEMA;
  const parts = [`CREATE TABLE ${home}.${ident(table.name)} (${columns});`, `ALTER TABLE ${home}.${ident(table.name)} OWNER TO ${OWNER_ROLE};`];
  if (table.rowFilter) {
    parts.push(
      `ALTER TABLE ${home}.${ident(table.name)} ENABLE ROW LEVEL SECURITY;`,
      `ALTER TABLE ${home}.${ident(table.name)} FORCE ROW LEVEL SECURITY;`,
      `CREATE POLICY row_filter ON ${home}.${ident(table.name)} FOR ALL TO PUBLIC USING (${table.rowFilter}) WITH CHECK (${table.rowFilter});`,
    );
  }
  if (masked) {
    const select = table.columns.map((c) => `${table.masks?.[c.name] ?? ident(c.name)} AS ${ident(c.name)}`).join(', ');
    parts.push(
      `CREATE VIEW ${PG_SCHEMA}.${ident(table.name)} WITH (security_barrier) AS SELECT ${select} FROM ${PG_BASE_SCHEMA}.${ident(table.name)};`,
      `ALTER VIEW ${PG_SCHEMA}.${ident(table.name)} OWNER TO ${OWNER_ROLE};`,
    );
  }
  return parts.join('\n');
}

function rolesSql(directory: Directory): string {
  const groups = directory.groups.map((g) => `CREATE ROLE ${ident(g.name)} NOLOGIN;`);
  const users = directory.users.map((u) => {
    const member = u.groups.length > 0 ? ` IN ROLE ${u.groups.map(ident).join(', ')}` : '';
    return `CREATE ROLE ${ident(u.upn.toLowerCase())} NOLOGIN${member};`;
  });
  return [`CREATE ROLE ${OWNER_ROLE} NOLOGIN;`, ...groups, ...users].join('\n');
}

function grantsSql(): string {
  return GRANTS.map((g) => {
    if (g.privilege === 'USE') return `GRANT USAGE ON SCHEMA ${PG_SCHEMA} TO ${roleOf(g.principal)};`;
    return `GRANT ${PG_PRIVILEGES[g.privilege]} ON ${PG_SCHEMA}.${ident(g.table ?? '')} TO ${roleOf(g.principal)};`;
  }).join('\n');
}

async function insertRows(db: PGlite, schema: string, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows
      .slice(i, i + chunk)
      .map((row) => `(${columns.map((c) => (typeof row[c] === 'number' ? String(row[c]) : lit(String(row[c])))).join(', ')})`)
      .join(',\n');
    await db.exec(`INSERT INTO ${schema}.${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${values};`);
  }
}

/** Creates roles, schemas, tables, policies, grants and seed rows; returns the seed for reference. */
export async function setUpWorkspace(db: PGlite, directory: Directory): Promise<SeedData> {
  const seed = generateSeed();
  await db.exec(rolesSql(directory));
  await db.exec(`CREATE SCHEMA ${PG_SCHEMA} AUTHORIZATION ${OWNER_ROLE}; CREATE SCHEMA ${PG_BASE_SCHEMA} AUTHORIZATION ${OWNER_ROLE};`);
  await db.exec(securitySql());
  for (const table of TABLES) await db.exec(tableSql(table));
  const home = (name: string): string => (TABLES.find((t) => t.name === name)?.masks ? PG_BASE_SCHEMA : PG_SCHEMA);
  await insertRows(db, home('regions'), 'regions', REGIONS.map((r) => ({ ...r })));
  await insertRows(db, home('products'), 'products', seed.products.map((r) => ({ ...r })));
  await insertRows(db, home('customers'), 'customers', seed.customers.map((r) => ({ ...r })));
  await insertRows(db, home('orders'), 'orders', seed.orders.map((r) => ({ ...r })));
  await insertRows(db, home('region_targets'), 'region_targets', REGION_TARGETS.map((r) => ({ ...r })));
  await db.exec(grantsSql());
  await setUpHr(db, OWNER_ROLE);
  await db.exec(informationSchemaSql());
  return seed;
}

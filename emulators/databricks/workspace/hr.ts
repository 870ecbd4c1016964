/**
 * A second, small demo schema `main.hr` (Postgres schema `hr`) for the second Genie space: one
 * employees table with its own grants. Carol and Bob may read it; Alice may not (no USE SCHEMA, no
 * SELECT), so Postgres refuses her even if a query reached the warehouse.
 */
import type { PGlite } from '@electric-sql/pglite';

export const HR_SCHEMA = 'hr';

/** Workspace users (UPNs) granted USE SCHEMA + SELECT on `main.hr`. */
export const HR_READERS = ['carol@contoso.example', 'bob@contoso.example'];

export const HR_EMPLOYEES: readonly { employee_id: number; name: string; department: string; title: string; hire_date: string }[] = [
  { employee_id: 1, name: 'Maria Lopez', department: 'Sales', title: 'Regional Manager', hire_date: '2019-03-04' },
  { employee_id: 2, name: 'James Chen', department: 'Sales', title: 'Regional Manager', hire_date: '2020-07-13' },
  { employee_id: 3, name: 'Priya Shah', department: 'Sales', title: 'Regional Manager', hire_date: '2018-11-26' },
  { employee_id: 4, name: 'Tom Becker', department: 'Sales', title: 'Regional Manager', hire_date: '2021-01-18' },
  { employee_id: 5, name: 'Ana Costa', department: 'Sales', title: 'Regional Manager', hire_date: '2022-05-02' },
  { employee_id: 6, name: 'Alice Wong', department: 'Analytics', title: 'Analyst', hire_date: '2023-02-20' },
  { employee_id: 7, name: 'Bob Kim', department: 'Analytics', title: 'Analyst', hire_date: '2023-09-11' },
  { employee_id: 8, name: 'Carol Diaz', department: 'Data Platform', title: 'Administrator', hire_date: '2017-06-05' },
  { employee_id: 9, name: 'Dave Patel', department: 'Finance', title: 'Controller', hire_date: '2016-10-03' },
  { employee_id: 10, name: 'Ivan Rossi', department: 'Finance', title: 'Accountant', hire_date: '2024-04-08' },
  { employee_id: 11, name: 'Zoe Larsen', department: 'Support', title: 'Support Engineer', hire_date: '2022-12-12' },
  { employee_id: 12, name: 'Kai Tanaka', department: 'Support', title: 'Support Lead', hire_date: '2020-03-30' },
];

const lit = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const role = (upn: string): string => `"${upn.toLowerCase().replace(/"/g, '""')}"`;

/** Creates `hr.employees` owned by `owner`, its rows, and the readers' grants. */
export async function setUpHr(db: PGlite, owner: string): Promise<void> {
  const rows = HR_EMPLOYEES.map((e) => `(${e.employee_id}, ${lit(e.name)}, ${lit(e.department)}, ${lit(e.title)}, ${lit(e.hire_date)})`).join(',\n');
  await db.exec(`
    CREATE SCHEMA ${HR_SCHEMA} AUTHORIZATION ${owner};
    CREATE TABLE ${HR_SCHEMA}.employees (employee_id integer PRIMARY KEY, name text, department text, title text, hire_date date);
    ALTER TABLE ${HR_SCHEMA}.employees OWNER TO ${owner};
    INSERT INTO ${HR_SCHEMA}.employees VALUES ${rows};
    ${HR_READERS.map((upn) => `GRANT USAGE ON SCHEMA ${HR_SCHEMA} TO ${role(upn)}; GRANT SELECT ON ${HR_SCHEMA}.employees TO ${role(upn)};`).join('\n')}
  `);
}

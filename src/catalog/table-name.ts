/** Three-part Unity Catalog table names as the catalog code keeps them: validated, lower case. */

const PART = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table identifier (back quotes allowed around plain parts) as a lower-case three-part name, or undefined when it is not one. */
export function tableIdentifier(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().replace(/`/g, '').split('.');
  if (parts.length !== 3 || !parts.every((p) => PART.test(p))) return undefined;
  return parts.join('.').toLowerCase();
}

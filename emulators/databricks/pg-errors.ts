/**
 * Turns Postgres errors into Databricks-shaped ones: `[ERROR_CLASS] message SQLSTATE: xxxxx`, with
 * objects named as `main.retail.<table>` the way Unity Catalog names them.
 */
import { EngineError } from './engine-types';
import type { StatementKind } from './spark-sql';
import { fullName, CATALOG, SCHEMA } from './workspace/workspace';

interface PgErrorLike {
  code?: string;
  message: string;
}

function isPgError(error: unknown): error is PgErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as PgErrorLike).message === 'string' && typeof (error as PgErrorLike).code === 'string';
}

const databricksError = (sqlState: string, errorClass: string, text: string): EngineError =>
  new EngineError(sqlState, errorClass, `[${errorClass}] ${text} SQLSTATE: ${sqlState}`);

function lastPart(name: string): string {
  return name.split('.').pop() ?? name;
}

export function insufficientPermissions(privilege: string, securable: 'Table' | 'Schema', object: string, upn: string): EngineError {
  return databricksError('42501', 'INSUFFICIENT_PERMISSIONS', `Insufficient privileges:\nUser ${upn} does not have ${privilege} on ${securable} '${object}'.`);
}

export function tableNotFound(name: string): EngineError {
  const parts = name.includes('.') ? name.split('.') : [CATALOG, SCHEMA, name];
  const shown = parts.map((p) => `\`${p}\``).join('.');
  return databricksError(
    '42P01',
    'TABLE_OR_VIEW_NOT_FOUND',
    `The table or view ${shown} cannot be found. Verify the spelling and correctness of the schema and catalog.`,
  );
}

export function syntaxError(near: string): EngineError {
  return databricksError('42601', 'PARSE_SYNTAX_ERROR', `Syntax error at or near '${near}'.`);
}

/** SqlBaseLexer `markUnclosedComment` → ParseDriver `UnclosedCommentProcessor` → QueryParsingErrors.unclosedBracketedCommentError. */
export function unclosedComment(): EngineError {
  return databricksError('42601', 'UNCLOSED_BRACKETED_COMMENT', 'Found an unclosed bracketed comment. Please, append */ at the end of the comment.');
}

/** ParseDriver `PostProcessor.exitUnquotedIdentifier`: an unquoted identifier may only hold [a-zA-Z0-9_]. */
export function invalidIdentifier(ident: string): EngineError {
  return databricksError(
    '42602',
    'INVALID_IDENTIFIER',
    `The unquoted identifier ${ident} is invalid and must be back quoted as: \`${ident.replace(/`/g, '``')}\`. Unquoted identifiers can only contain ASCII letters ('a' - 'z', 'A' - 'Z'), digits ('0' - '9'), and underbar ('_').`,
  );
}

export function emptyStatement(): EngineError {
  return databricksError('42617', 'PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.');
}

export function notSupported(what: string): EngineError {
  return databricksError('0A000', 'UNSUPPORTED_FEATURE', `The feature is not supported: ${what}.`);
}

export function toEngineError(error: unknown, kind: StatementKind, upn: string): EngineError {
  if (error instanceof EngineError) return error;
  if (!isPgError(error)) return databricksError('XX000', 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
  const { code = 'XX000', message } = error;
  switch (code) {
    case '42501': {
      const rls = /row-level security policy for table "([^"]+)"/.exec(message);
      if (rls?.[1]) {
        return databricksError('42501', 'INSUFFICIENT_PERMISSIONS', `Insufficient privileges:\nThe row filter on Table '${fullName(rls[1])}' does not allow this row for User ${upn}.`);
      }
      const schema = /permission denied for schema (\S+)/.exec(message);
      if (schema?.[1]) return insufficientPermissions('USE SCHEMA', 'Schema', `${CATALOG}.${schema[1]}`, upn);
      const table = /permission denied for (?:table|view|relation) (\S+)/.exec(message);
      if (table?.[1]) return insufficientPermissions(kind === 'dml' ? 'MODIFY' : 'SELECT', 'Table', fullName(lastPart(table[1])), upn);
      const owner = /must be owner of (?:table|view|relation) (\S+)/.exec(message);
      if (owner?.[1]) return insufficientPermissions('MANAGE', 'Table', fullName(lastPart(owner[1])), upn);
      return databricksError('42501', 'INSUFFICIENT_PERMISSIONS', `Insufficient privileges: ${message}.`);
    }
    case '42P01': {
      const name = /relation "([^"]+)" does not exist/.exec(message)?.[1] ?? 'unknown';
      return tableNotFound(name.includes('.') && name.split('.').length === 2 ? `${CATALOG}.${name}` : name);
    }
    case '3F000':
      return databricksError('42704', 'SCHEMA_NOT_FOUND', `The schema cannot be found: ${message}.`);
    case '0A000':
      if (/cross-database references/.test(message)) {
        const name = /: (\S+)$/.exec(message)?.[1] ?? 'unknown';
        return tableNotFound(name);
      }
      return databricksError('0A000', 'UNSUPPORTED_FEATURE', `The feature is not supported: ${message}.`);
    case '42601': {
      const near = /at or near "([^"]*)"/.exec(message)?.[1] ?? (/at end of input/.test(message) ? 'end of input' : 'unknown');
      return /multiple commands/.test(message)
        ? databricksError('42601', 'PARSE_SYNTAX_ERROR', "Syntax error at or near ';': only one statement is allowed.")
        : syntaxError(near);
    }
    case '42704':
      return databricksError('0A000', 'UNSUPPORTED_DATATYPE', `Unsupported data type: ${message}.`);
    case '42703':
      return databricksError('42703', 'UNRESOLVED_COLUMN.WITH_SUGGESTION', `A column, variable, or function parameter cannot be resolved: ${message}.`);
    case '42883':
      return databricksError('42883', 'UNRESOLVED_ROUTINE', `Cannot resolve routine: ${message}.`);
    case '42804':
    case '42846':
    case '22P02':
      return databricksError('42K09', 'DATATYPE_MISMATCH', `Cannot resolve due to data type mismatch: ${message}.`);
    case '22012':
      return databricksError('22012', 'DIVIDE_BY_ZERO', 'Division by zero.');
    case '23505':
    case '23502':
    case '23503':
      return databricksError('23K01', 'DELTA_VIOLATE_CONSTRAINT', `Constraint violated: ${message}.`);
    case '57014':
      return databricksError('57014', 'QUERY_EXECUTION_TIMEOUT_EXCEEDED', 'The query was cancelled because it exceeded the timeout.');
    default:
      return databricksError(code, 'QUERY_EXECUTION_ERROR', message);
  }
}

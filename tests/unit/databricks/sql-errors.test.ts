import { AppError } from '../../../src/errors';
import { codeForFacts, fromRestFailure, fromSqlFailure, mapDatabricksError, parseDatabricksMessage } from '../../../src/databricks/errors';

const headers = (values: Record<string, string>): { get(name: string): string | null } => ({ get: (name) => values[name.toLowerCase()] ?? null });

describe('Databricks error mapping', () => {
  test('when a message carries [CLASS] and SQLSTATE, then both are parsed and the object is named', () => {
    expect(parseDatabricksMessage("[INSUFFICIENT_PERMISSIONS] Insufficient privileges:\nUser bob does not have MODIFY on Table 'main.retail.orders'. SQLSTATE: 42501")).toEqual({
      errorClass: 'INSUFFICIENT_PERMISSIONS', sqlState: '42501', object: 'main.retail.orders',
    });
    expect(parseDatabricksMessage('[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`retail`.`nope` cannot be found. SQLSTATE: 42P01').object).toBe('main.retail.nope');
    expect(parseDatabricksMessage('[UNRESOLVED_COLUMN.WITH_SUGGESTION] x').errorClass).toBe('UNRESOLVED_COLUMN');
  });

  test.each([
    ['42501', 'DATABRICKS.PERMISSION_DENIED'],
    ['42P01', 'DATABRICKS.TABLE_NOT_FOUND'],
    ['42601', 'DATABRICKS.SYNTAX'],
    ['22012', 'DATABRICKS.QUERY_FAILED'],
  ])('when the SQLSTATE is %s, then the code is %s', (sqlState, code) => {
    expect(fromSqlFailure(sqlState, 'boom').code).toBe(code);
  });

  test.each([
    [401, 'DATABRICKS.UNAUTHENTICATED'],
    [403, 'DATABRICKS.PERMISSION_DENIED'],
    [429, 'DATABRICKS.RATE_LIMITED'],
    [500, 'DATABRICKS.UNAVAILABLE'],
    [504, 'DATABRICKS.TIMEOUT'],
    [400, 'DATABRICKS.QUERY_FAILED'],
  ])('when a REST call answers %s without a known error code, then %s', (status, code) => {
    expect(fromRestFailure(status, { message: 'x' }).code).toBe(code);
  });

  test('when a 503 says the warehouse is stopped, then WAREHOUSE_UNAVAILABLE, not the generic UNAVAILABLE', () => {
    expect(fromRestFailure(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'SQL warehouse abc is stopped.' }).code).toBe('DATABRICKS.WAREHOUSE_UNAVAILABLE');
    expect(fromRestFailure(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'try later' }).code).toBe('DATABRICKS.UNAVAILABLE');
  });

  test('when the driver throws OperationStateError with a status response, then sqlState and class decide', () => {
    const error = Object.assign(new Error('The operation failed due to an error'), {
      errorCode: 'ERROR',
      response: { operationState: 5, sqlState: '42501', displayMessage: "[INSUFFICIENT_PERMISSIONS] User x does not have SELECT on Table 'main.retail.customers'. SQLSTATE: 42501" },
    });
    const mapped = mapDatabricksError(error);
    expect(mapped.code).toBe('DATABRICKS.PERMISSION_DENIED');
    expect(mapped.details).toMatchObject({ object: 'main.retail.customers', sqlState: '42501' });
    expect(mapped.cause).toBe(error);
  });

  test('when the driver throws THTTPException or RetryError, then the HTTP status and headers decide', () => {
    const http = Object.assign(new Error('Received a response with a bad HTTP status code: 401'), { statusCode: 401, response: { status: 401, headers: headers({}) } });
    expect(mapDatabricksError(http).code).toBe('DATABRICKS.UNAUTHENTICATED');
    const retry = Object.assign(new Error('Max retry count exceeded'), {
      errorCode: 'ATTEMPTS_EXCEEDED',
      payload: { response: { status: 503, headers: headers({ 'x-thriftserver-error-message': 'SQL warehouse w1 is stopped. Start the warehouse and retry.' }) } },
    });
    expect(mapDatabricksError(retry).code).toBe('DATABRICKS.WAREHOUSE_UNAVAILABLE');
  });

  test('when the network fails or an AppError passes through, then UNAVAILABLE or the same error', () => {
    expect(mapDatabricksError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('DATABRICKS.UNAVAILABLE');
    const own = new AppError('DATABRICKS.TIMEOUT');
    expect(mapDatabricksError(own)).toBe(own);
    expect(mapDatabricksError('weird').code).toBe('DATABRICKS.QUERY_FAILED');
  });

  test('when only an error class is known, then it wins over the HTTP status', () => {
    expect(codeForFacts({ errorClass: 'RESOURCE_EXHAUSTED', httpStatus: 500 })).toBe('DATABRICKS.RATE_LIMITED');
  });
});

/**
 * The SQL warehouse's Thrift TCLIService, served with the generated Processor shipped in
 * `@databricks/sql` over TBinaryProtocol/TBufferedTransport. Protocol V8 (named parameters),
 * COLUMN_BASED results, direct results for statements that finish quickly, async polling otherwise.
 */
import type { ServerResponse } from 'node:http';
import { TBinaryProtocol, TBufferedTransport } from 'thrift';
import Int64 from 'node-int64';
import { Processor } from '@databricks/sql/thrift/TCLIService';
import {
  TCloseOperationResp, TCloseSessionResp, TCancelOperationResp, TExecuteStatementResp, TFetchOrientation, TFetchResultsResp,
  TGetInfoResp, TGetOperationStatusResp, TGetResultSetMetadataResp, TOpenSessionResp, TOperationHandle, TOperationState,
  TOperationType, TProtocolVersion, TSessionHandle, TSparkDirectResults, TSparkRowSetType, TStatus, TStatusCode, THandleIdentifier,
  TNamespace, type TCloseOperationReq, type TCloseSessionReq, type TCancelOperationReq, type TExecuteStatementReq,
  type TFetchResultsReq, type TGetOperationStatusReq, type TGetResultSetMetadataReq, type TOpenSessionReq, type TSparkParameter,
} from '@databricks/sql/thrift/TCLIService_types';
import { randomUUID } from 'node:crypto';
import type { DatabricksControls } from '../controls';
import type { WorkspaceEngineHandle } from '../engine';
import type { EngineParam, WorkspaceUser } from '../engine-types';
import { bytesToUuid, OperationStore, uuidToBytes, type Operation } from './operations';
import { rowSet, tableSchema } from './row-set';

const DIRECT_RESULTS_WAIT_MS = 2000;
const SUCCESS = (): TStatus => new TStatus({ statusCode: TStatusCode.SUCCESS_STATUS });
const invalidHandle = (what: string): TStatus =>
  new TStatus({ statusCode: TStatusCode.INVALID_HANDLE_STATUS, errorMessage: `Invalid ${what} handle`, sqlState: 'HY000' });

const handleId = (id: string): THandleIdentifier => new THandleIdentifier({ guid: uuidToBytes(id), secret: uuidToBytes(randomUUID()) });
const toNumber = (value: Int64 | number | undefined, fallback: number): number =>
  value === undefined ? fallback : typeof value === 'number' ? value : value.toNumber();

const STATE: Record<Operation['phase'], TOperationState> = {
  RUNNING: TOperationState.RUNNING_STATE,
  FINISHED: TOperationState.FINISHED_STATE,
  ERROR: TOperationState.ERROR_STATE,
  CANCELED: TOperationState.CANCELED_STATE,
  CLOSED: TOperationState.CLOSED_STATE,
};

function engineParams(parameters: TSparkParameter[] | undefined): EngineParam[] {
  return (parameters ?? []).map((p, i) => {
    const v = p.value;
    const value = v?.stringValue ?? (v?.doubleValue !== undefined && v.doubleValue !== null ? String(v.doubleValue) : undefined) ??
      (v?.booleanValue !== undefined && v.booleanValue !== null ? String(v.booleanValue) : undefined);
    return { name: p.name ?? `_${p.ordinal ?? i + 1}`, type: p.type ?? 'VOID', value: value ?? null };
  });
}

function operationStatus(op: Operation): TGetOperationStatusResp {
  const resp = new TGetOperationStatusResp({
    status: SUCCESS(),
    operationState: STATE[op.phase],
    hasResultSet: true,
    operationStarted: new Int64(op.startedAt),
    operationCompleted: op.completedAt ? new Int64(op.completedAt) : undefined,
  });
  if (op.phase === 'FINISHED' && op.rowsAffected !== null) resp.numModifiedRows = new Int64(op.rowsAffected);
  if (op.error) {
    resp.sqlState = op.error.sqlState;
    resp.errorMessage = op.error.message;
    resp.displayMessage = op.error.message;
    resp.errorCode = 0;
    resp.errorDetailsJson = JSON.stringify({ errorClass: op.error.errorClass, sqlState: op.error.sqlState });
  }
  return resp;
}

const metadata = (op: Operation): TGetResultSetMetadataResp =>
  new TGetResultSetMetadataResp({ status: SUCCESS(), schema: tableSchema(op.columns), resultFormat: TSparkRowSetType.COLUMN_BASED_SET });

function fetchPage(op: Operation, maxRows: number): TFetchResultsResp {
  const results = rowSet(op.columns, op.rows, op.offset, maxRows);
  op.offset = Math.min(op.rows.length, op.offset + maxRows);
  return new TFetchResultsResp({ status: SUCCESS(), hasMoreRows: op.offset < op.rows.length, results });
}

const timeout = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The TCLIService handler for one authenticated request. */
function handlerFor(user: WorkspaceUser, engine: WorkspaceEngineHandle, store: OperationStore, controls: DatabricksControls, warehouseId: string): object {
  const op = (handle: TOperationHandle | undefined): Operation | undefined => store.get(bytesToUuid(handle?.operationId?.guid), user);
  const session = (handle: TSessionHandle | undefined): string | undefined => {
    const id = bytesToUuid(handle?.sessionId?.guid);
    return store.hasSession(id, user) ? id : undefined;
  };
  const timed = async <T>(method: string, work: () => Promise<T> | T): Promise<T> => {
    controls.count(`thrift.${method}`);
    await controls.delay(method);
    return work();
  };

  return {
    OpenSession: (req: TOpenSessionReq) =>
      timed('OpenSession', () => {
        const id = store.openSession(user);
        return new TOpenSessionResp({
          status: SUCCESS(),
          serverProtocolVersion: TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8,
          sessionHandle: new TSessionHandle({ sessionId: handleId(id) }),
          initialNamespace: req.initialNamespace ?? new TNamespace({ catalogName: 'main', schemaName: 'retail' }),
          configuration: { warehouse_id: warehouseId },
        });
      }),
    CloseSession: (req: TCloseSessionReq) =>
      timed('CloseSession', () => {
        const ok = store.closeSession(bytesToUuid(req.sessionHandle?.sessionId?.guid), user);
        return new TCloseSessionResp({ status: ok ? SUCCESS() : invalidHandle('session') });
      }),
    GetInfo: () => timed('GetInfo', () => new TGetInfoResp({ status: SUCCESS(), infoValue: { stringValue: 'Databricks SQL (emulator)' } })),
    ExecuteStatement: (req: TExecuteStatementReq) =>
      timed('ExecuteStatement', async () => {
        const sessionId = session(req.sessionHandle);
        if (!sessionId) return new TExecuteStatementResp({ status: invalidHandle('session') });
        const params = engineParams(req.parameters);
        const statementId = randomUUID();
        const operation = store.start(sessionId, user, statementId, (cancellation) =>
          engine.runWithId(statementId, user, req.statement, params, 'warehouse', {
            cancellation,
            // `execute` delays every statement, `execute.dml` (or `execute.query`, …) only that kind.
            runningTime: async (signal, kind) => {
              await controls.delay('execute', signal);
              await controls.delay(`execute.${kind}`, signal);
            },
          }),
        );
        await Promise.race([operation.done, timeout(DIRECT_RESULTS_WAIT_MS)]);
        const operationHandle = new TOperationHandle({
          operationId: handleId(operation.id), operationType: TOperationType.EXECUTE_STATEMENT, hasResultSet: true,
        });
        const resp = new TExecuteStatementResp({ status: SUCCESS(), operationHandle });
        if (req.getDirectResults && operation.phase !== 'RUNNING') {
          const direct = new TSparkDirectResults({ operationStatus: operationStatus(operation) });
          if (operation.phase === 'FINISHED') {
            direct.resultSetMetadata = metadata(operation);
            direct.resultSet = fetchPage(operation, toNumber(req.getDirectResults.maxRows, 100_000));
            if (operation.offset >= operation.rows.length) {
              direct.closeOperation = new TCloseOperationResp({ status: SUCCESS() });
              store.close(operation.id, user);
            }
          }
          resp.directResults = direct;
        }
        return resp;
      }),
    GetOperationStatus: (req: TGetOperationStatusReq) =>
      timed('GetOperationStatus', () => {
        const found = op(req.operationHandle);
        return found ? operationStatus(found) : new TGetOperationStatusResp({ status: invalidHandle('operation') });
      }),
    GetResultSetMetadata: (req: TGetResultSetMetadataReq) =>
      timed('GetResultSetMetadata', () => {
        const found = op(req.operationHandle);
        return found ? metadata(found) : new TGetResultSetMetadataResp({ status: invalidHandle('operation') });
      }),
    FetchResults: (req: TFetchResultsReq) =>
      timed('FetchResults', () => {
        const found = op(req.operationHandle);
        if (!found || found.phase !== 'FINISHED') return new TFetchResultsResp({ status: invalidHandle('operation') });
        if (req.orientation === TFetchOrientation.FETCH_FIRST) found.offset = 0;
        return fetchPage(found, toNumber(req.maxRows, 100_000));
      }),
    CancelOperation: (req: TCancelOperationReq) =>
      timed('CancelOperation', () => {
        const ok = store.cancel(bytesToUuid(req.operationHandle?.operationId?.guid), user);
        return new TCancelOperationResp({ status: ok ? SUCCESS() : invalidHandle('operation') });
      }),
    CloseOperation: (req: TCloseOperationReq) =>
      timed('CloseOperation', () => {
        const ok = store.close(bytesToUuid(req.operationHandle?.operationId?.guid), user);
        return new TCloseOperationResp({ status: ok ? SUCCESS() : invalidHandle('operation') });
      }),
  };
}

export interface WarehouseService {
  /** Processes one Thrift-over-HTTP request body for `user` and writes the reply. */
  handle(body: Buffer, res: ServerResponse, user: WorkspaceUser): void;
}

export function createWarehouseService(engine: WorkspaceEngineHandle, controls: DatabricksControls, warehouseId: string): WarehouseService {
  const store = new OperationStore();
  return {
    handle(body, res, user) {
      const processor = new Processor(handlerFor(user, engine, store, controls, warehouseId));
      const receive = TBufferedTransport.receiver((transportWithData) => {
        const input = new TBinaryProtocol(transportWithData);
        const output = new TBinaryProtocol(
          new TBufferedTransport(undefined, (reply?: Buffer) => {
            res.writeHead(200, { 'content-type': 'application/x-thrift' });
            res.end(reply);
          }),
        );
        processor.process(input, output);
      }, 0);
      receive(body);
    },
  };
}

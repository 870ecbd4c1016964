/**
 * A bare TCLIService client (the generated client shipped in `@databricks/sql`, Thrift over HTTPS)
 * for tests that must see an operation's server-side state after the driver stopped looking at it,
 * e.g. GetOperationStatus after a CancelOperation.
 */
import { readFileSync } from 'node:fs';
import { createHttpClient, createHttpConnection, TBinaryProtocol, TBufferedTransport } from 'thrift';
import { Client } from '@databricks/sql/thrift/TCLIService';
import {
  TCancelOperationReq, TCloseSessionReq, TExecuteStatementReq, TGetOperationStatusReq, TOpenSessionReq, TProtocolVersion,
  type TCancelOperationResp, type TCloseSessionResp, type TExecuteStatementResp, type TGetOperationStatusResp, type TOpenSessionResp, type TOperationHandle, type TSessionHandle,
} from '@databricks/sql/thrift/TCLIService_types';

export interface RawWarehouse {
  openSession(): Promise<TSessionHandle>;
  /** Submits without asking for direct results; the handle comes back while the statement may still run. */
  execute(session: TSessionHandle, sql: string): Promise<TOperationHandle>;
  status(operation: TOperationHandle): Promise<TGetOperationStatusResp>;
  cancel(operation: TOperationHandle): Promise<TCancelOperationResp>;
  closeSession(session: TSessionHandle): Promise<void>;
}

/** The generated typings declare the callback's error as `void`; at run time it carries the failure. */
type Callback<T> = (error: void, response: T) => void;

function call<T>(send: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    send((error, response) => {
      const failure: unknown = error;
      if (failure) reject(failure instanceof Error ? failure : new Error(String(failure)));
      else resolve(response);
    }),
  );
}

export function rawWarehouse(port: number, httpPath: string, token: string): RawWarehouse {
  const caPath = process.env.NODE_EXTRA_CA_CERTS;
  const connection = createHttpConnection('localhost', port, {
    transport: TBufferedTransport,
    protocol: TBinaryProtocol,
    https: true,
    path: httpPath,
    headers: { Authorization: `Bearer ${token}`, Connection: 'close' },
    nodeOptions: caPath ? { ca: readFileSync(caPath) } : {},
  });
  const client = createHttpClient(Client, connection);
  return {
    async openSession() {
      const response = await call<TOpenSessionResp>((cb) =>
        client.OpenSession(new TOpenSessionReq({ client_protocol: TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8 }), cb),
      );
      if (!response.sessionHandle) throw new Error('OpenSession returned no session handle');
      return response.sessionHandle;
    },
    async execute(session, sql) {
      const response = await call<TExecuteStatementResp>((cb) =>
        client.ExecuteStatement(new TExecuteStatementReq({ sessionHandle: session, statement: sql, runAsync: true }), cb),
      );
      if (!response.operationHandle) throw new Error('ExecuteStatement returned no operation handle');
      return response.operationHandle;
    },
    status: (operation) => call<TGetOperationStatusResp>((cb) => client.GetOperationStatus(new TGetOperationStatusReq({ operationHandle: operation }), cb)),
    cancel: (operation) => call<TCancelOperationResp>((cb) => client.CancelOperation(new TCancelOperationReq({ operationHandle: operation }), cb)),
    async closeSession(session) {
      await call<TCloseSessionResp>((cb) => client.CloseSession(new TCloseSessionReq({ sessionHandle: session }), cb));
    },
  };
}

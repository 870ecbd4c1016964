import { DatabricksControls } from '../../../emulators/databricks/controls';
import { thriftMethodOf } from '../../../emulators/databricks/server';

/** A Thrift binary-protocol call header: strict (version word first) or old style (name first). */
function call(name: string, strict = true): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(strict ? 8 : 4);
  if (strict) {
    head.writeUInt32BE(0x80010001, 0);
    head.writeInt32BE(nameBytes.length, 4);
  } else head.writeInt32BE(nameBytes.length, 0);
  return Buffer.concat([head, nameBytes, strict ? Buffer.from([0, 0, 0, 7]) : Buffer.from([1, 0, 0, 0, 7])]);
}

describe('Databricks emulator: failures aimed at one Thrift method', () => {
  it('when a Thrift call arrives, then its method name is read from the strict or old-style header; anything unreadable gives none', () => {
    expect(thriftMethodOf(call('ExecuteStatement'))).toBe('ExecuteStatement');
    expect(thriftMethodOf(call('OpenSession', false))).toBe('OpenSession');
    expect(thriftMethodOf(Buffer.from('not thrift at all'))).toBeUndefined();
    expect(thriftMethodOf(Buffer.alloc(4))).toBeUndefined();
    const truncated = call('ExecuteStatement').subarray(0, 12);
    expect(thriftMethodOf(truncated)).toBeUndefined();
  });

  it('when one failure is aimed at ExecuteStatement, then other calls pass, the ExecuteStatement fails once and is counted per method', () => {
    const controls = new DatabricksControls();
    controls.failures = { remaining: 1, status: 503, scope: 'thrift', method: 'ExecuteStatement' };
    expect(controls.takeFailure('thrift', 'OpenSession')).toBeUndefined();
    expect(controls.takeFailure('rest')).toBeUndefined();
    expect(controls.takeFailure('thrift', 'ExecuteStatement')).toBe(503);
    expect(controls.takeFailure('thrift', 'ExecuteStatement')).toBeUndefined();
    expect(controls.snapshot().counters).toEqual({ injected_failures: 1, 'injected.ExecuteStatement': 1 });
  });
});

import { readFileSync } from 'node:fs';
import { localStackSchema, type LocalStack } from '../../src/config/local-stack';

/** The stack the global setup started, as the stack file describes it. */
export function testStack(): LocalStack {
  const file = process.env.LOCAL_STACK_FILE;
  if (!file) throw new Error('LOCAL_STACK_FILE is not set: integration tests need the jest global setup.');
  return localStackSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

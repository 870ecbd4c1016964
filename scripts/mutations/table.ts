/**
 * Every row of docs/reliability-results.md with its protection-off patch and the cheapest test that
 * must then fail. Patches are exact search/replace snippets; `npm run test:mutations -- --check`
 * verifies they still apply.
 */
import { APPROVAL_MUTATIONS } from './table-approvals';
import { CATALOG_MUTATIONS } from './table-catalog';
import { FAULT_MUTATIONS } from './table-faults';
import { HONESTY_MUTATIONS } from './table-honesty';
import { IDENTITY_MUTATIONS } from './table-identity';
import { REQUEST_MUTATIONS } from './table-requests';
import { TURN_MUTATIONS } from './table-turns';
import type { Mutation } from './types';

export const MUTATIONS: readonly Mutation[] = [...IDENTITY_MUTATIONS, ...APPROVAL_MUTATIONS, ...FAULT_MUTATIONS, ...HONESTY_MUTATIONS, ...CATALOG_MUTATIONS, ...REQUEST_MUTATIONS, ...TURN_MUTATIONS];

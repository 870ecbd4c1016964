export { createIdentityService, type IdentityServiceDeps } from './identity-service';
export type { IdentityService, TokenCacheStore, TokenProvider, ValidatedSsoToken } from './ports';

// The Okta integration's public surface: the client contract, its axios implementation, and the schemas.
export type * from './client';
export { createOktaClient, type OktaClientOptions } from './create-okta-client';
export type { OktaAuth } from './auth';
export * from './schemas';
export { nextLink } from './transport';

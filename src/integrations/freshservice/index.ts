// The Freshservice integration's public surface: the client interface, its axios implementation, the
// wire schemas, code tables, query builders and the Workflow Automator webhook template.
export * from './client';
export * from './codes';
export * from './schemas';
export * from './query';
export { createFreshserviceClient, type FreshserviceClientOptions } from './http-client';
export { parseRetryAfterMs } from './errors';
export { nextLink, readRateLimit } from './http-headers';
export * from './webhook-template';

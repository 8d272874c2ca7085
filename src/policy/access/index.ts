// The access rule family: the schema of the policy file's access sections (defaults, resources, sod,
// oktaRequests) and their pure evaluation (entitlement mapping, approval chains, separation of duties).
export * from './calendar-date';
export * from './duration';
export * from './schema';
export * from './evaluate';

// The policy module's public surface: the schema of the access policy file and its pure evaluation.
export * from './duration';
export * from './schema';
export * from './evaluate';

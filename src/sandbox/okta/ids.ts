// Okta-shaped identifiers for the sandbox: a three-character type prefix plus 17 random characters
// (00u… users, 00g… groups, 0oa… apps, who… event hooks, req… access requests), so clients that log or
// validate ids see what a real org hands out.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export const ID_PREFIX = {
  user: '00u',
  group: '00g',
  app: '0oa',
  factor: 'ufs',
  hook: 'who',
  request: 'req',
  catalogEntry: 'cen',
  userType: 'oty',
  appUser: '0ua',
  oauthToken: 'aat',
} as const;

export function oktaId(prefix: string, length = 17): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** OIG v1 request ids are 24 lowercase hex characters (a Mongo-style object id). */
export function hexId24(): string {
  return randomBytes(12).toString('hex');
}

/** Per-response id, like Okta's `X-Okta-Request-Id` and `errorId`. */
export function requestId(): string {
  return randomBytes(15).toString('base64url');
}

export const uuid = (): string => randomUUID();

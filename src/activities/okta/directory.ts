// Who is who in Okta: the one place a person known by email (a Freshservice requester, an approver, a
// manager reference) becomes exactly one Okta user, or a clear answer why not. Okta's login is unique but its
// emails are not: a rehire leaves a DEPROVISIONED account holding the login while a new ACTIVE one carries
// the email, and two live accounts can share a primary email. So: login, then primary email, then secondary
// email; live accounts win over deactivated ones; two candidates at the same rank are an ambiguity the
// caller reports, never a guess.
import type { OktaClient, TOktaUser } from '../../integrations/okta';
import type { OktaActivities, OktaPerson, PersonResolution } from './contract';
import { getUserOrNull } from './lookups';

type DirectoryActivities = Pick<
  OktaActivities,
  'findPerson' | 'resolvePerson' | 'findManager' | 'listGroupNames'
>;

/** How a candidate matched the reference, strongest first. */
export type IdentityMatch = 'login' | 'email' | 'secondEmail';

export type IdentityCandidate = { user: TOktaUser; matchedBy: IdentityMatch };

export type IdentityResolution =
  | { kind: 'found'; user: TOktaUser; matchedBy: IdentityMatch }
  | {
      kind: 'ambiguous';
      matchedBy: IdentityMatch;
      /** Every account that matched at the deciding rank. */
      candidates: TOktaUser[];
    }
  | { kind: 'not-found' };

const RANK: Record<IdentityMatch, number> = { login: 0, email: 1, secondEmail: 2 };

const isLive = (u: TOktaUser) => u.status !== 'DEPROVISIONED';

/**
 * Picks the one account `candidates` name (pure). Live accounts are considered first; only when none is
 * live does a deactivated one answer (so the caller can say the account is deactivated). Within the pool,
 * the strongest rank with any candidate decides: one distinct account there is found, several are ambiguous.
 */
export function pickOktaUser(candidates: IdentityCandidate[]): IdentityResolution {
  const live = candidates.filter((c) => isLive(c.user));
  const pool = live.length > 0 ? live : candidates;
  if (pool.length === 0) return { kind: 'not-found' };
  const best = Math.min(...pool.map((c) => RANK[c.matchedBy]));
  const atBest = new Map<string, IdentityCandidate>();
  for (const c of pool) if (RANK[c.matchedBy] === best) atBest.set(c.user.id, c);
  const [first, ...rest] = [...atBest.values()];
  if (!first) return { kind: 'not-found' };
  if (rest.length === 0) return { kind: 'found', user: first.user, matchedBy: first.matchedBy };
  return { kind: 'ambiguous', matchedBy: first.matchedBy, candidates: [first, ...rest].map((c) => c.user) };
}

/** SCIM string literal: quotes and backslashes escaped. */
const lit = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** At most this many accounts per search: enough to tell one from several, bounded for a bad directory. */
const SEARCH_LIMIT = 20;

async function searchAll(okta: OktaClient, attribute: string, email: string): Promise<TOktaUser[]> {
  const found: TOktaUser[] = [];
  for await (const u of okta.searchUsers(`profile.${attribute} eq ${lit(email)}`, { limit: SEARCH_LIMIT })) {
    const value = (u.profile as Record<string, unknown>)[attribute];
    // Okta's `eq` on strings is case-insensitive; compare the same way, and drop anything else it returned.
    if (typeof value === 'string' && value.toLowerCase() === email.toLowerCase()) found.push(u);
    if (found.length >= SEARCH_LIMIT) break;
  }
  return found;
}

/**
 * The Okta user a person's email (or login) names. Reads the login first (a consistent read), and searches
 * emails only when no live account holds that login: `search` is eventually consistent and includes
 * DEPROVISIONED users, which is what the rehire case needs.
 */
export async function resolveOktaUser(
  okta: OktaClient,
  ref: { email: string; login?: string },
): Promise<IdentityResolution> {
  const candidates: IdentityCandidate[] = [];
  const byLogin = await okta.findUserByLogin(ref.login ?? ref.email);
  if (byLogin) {
    candidates.push({ user: byLogin, matchedBy: 'login' });
    if (isLive(byLogin)) return pickOktaUser(candidates);
  }
  for (const u of await searchAll(okta, 'email', ref.email)) candidates.push({ user: u, matchedBy: 'email' });
  if (candidates.some((c) => isLive(c.user))) return pickOktaUser(candidates);
  for (const u of await searchAll(okta, 'secondEmail', ref.email))
    candidates.push({ user: u, matchedBy: 'secondEmail' });
  return pickOktaUser(candidates);
}

function toPerson(u: TOktaUser): OktaPerson {
  const p = u.profile;
  return {
    id: u.id,
    login: p.login,
    email: p.email,
    displayName: [p.firstName, p.lastName].filter(Boolean).join(' ') || p.login,
    status: u.status,
    department: p.department ?? null,
    managerRef: p.managerId ?? p.manager ?? null,
  };
}

export function createDirectoryActivities(okta: OktaClient): DirectoryActivities {
  async function resolvePerson(ref: { email: string; login?: string }): Promise<PersonResolution> {
    const r = await resolveOktaUser(okta, ref);
    if (r.kind === 'found') return { kind: 'found', person: toPerson(r.user), matchedBy: r.matchedBy };
    if (r.kind === 'not-found') return r;
    return {
      kind: 'ambiguous',
      matchedBy: r.matchedBy,
      candidates: r.candidates.map((u) => ({ id: u.id, login: u.profile.login, status: u.status })),
    };
  }

  async function findPerson(ref: {
    id?: string;
    login?: string;
    email?: string;
  }): Promise<OktaPerson | null> {
    if (ref.id) {
      const u = await getUserOrNull(okta, ref.id);
      return u ? toPerson(u) : null;
    }
    const email = ref.email ?? ref.login;
    if (!email) return null;
    const r = await resolvePerson({ email, ...(ref.login ? { login: ref.login } : {}) });
    return r.kind === 'found' ? r.person : null;
  }

  return {
    findPerson,
    resolvePerson,

    async findManager(person) {
      const ref = person.managerRef?.trim();
      if (!ref) return null;
      if (ref.includes('@')) return findPerson({ login: ref, email: ref });
      const u = await getUserOrNull(okta, ref);
      return u ? toPerson(u) : null;
    },

    async listGroupNames(userId) {
      return (await okta.listUserGroups(userId)).map((g) => g.profile.name);
    },
  };
}

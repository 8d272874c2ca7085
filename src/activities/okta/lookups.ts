// Reads more than one Okta area needs: a user who may not exist (an id or login from a profile or a
// request), and the test for Okta's NOT_FOUND that such reads turn into null.
import { VendorError } from '../../integrations/errors';
import type { OktaClient, TOktaUser } from '../../integrations/okta';

export const isNotFound = (err: unknown) => err instanceof VendorError && err.type === 'NOT_FOUND';

/** The user by id or login; null when Okta has none. */
export async function getUserOrNull(okta: OktaClient, idOrLogin: string): Promise<TOktaUser | null> {
  try {
    return await okta.getUser(idOrLogin);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

// Who access-bridge is in Okta, asked once per worker: a request access-bridge raised is told apart from one
// a requester typed a marker into by its creator, which Okta records and no requester can set.
import { VendorError } from '../../integrations/errors';
import type { OktaClient } from '../../integrations/okta';
import { getUserOrNull } from './lookups';

export type OktaPrincipal = {
  /**
   * Whether access-bridge's own Okta principal created a request: Okta records the creator and no requester
   * can set it. With a service app (no user behind it) the creator is the app, never a person.
   */
  createdByAccessBridge(createdBy: string | null | undefined): Promise<boolean>;
};

export function createOktaPrincipal(okta: OktaClient): OktaPrincipal {
  /**
   * The Okta principal access-bridge acts as: the admin behind an API token (`GET /users/me`), or null
   * when no user stands behind the credentials (an OAuth service app). Asked once per worker.
   */
  let ownPrincipal: Promise<string | null> | undefined;
  function principal(): Promise<string | null> {
    ownPrincipal ??= okta.getUser('me').then(
      (u) => u.id,
      (err: unknown) => {
        if (err instanceof VendorError && !err.retryable) return null;
        ownPrincipal = undefined;
        throw err;
      },
    );
    return ownPrincipal;
  }

  return {
    async createdByAccessBridge(createdBy) {
      if (!createdBy) return false;
      const me = await principal();
      if (me !== null) return createdBy === me;
      return (await getUserOrNull(okta, createdBy)) === null;
    },
  };
}

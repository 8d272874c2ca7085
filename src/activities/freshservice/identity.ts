// Who access-bridge is in Freshservice, asked once per worker: a retry may adopt only what access-bridge itself
// wrote (a note, a reply, an approval), never something a requester or another agent wrote that looks alike.
import type { FreshserviceClient, TFsConversation } from '../../integrations/freshservice';
import { VendorError } from '../../integrations/errors';
import { lastStepMarker } from '../../workflows/shared/contract';

/** Conversation sources (Freshservice API v2, "Conversation Properties"). */
const SOURCE_EMAIL = 0;
const SOURCE_NOTE = 2;

export type FreshserviceIdentity = {
  /**
   * Whether access-bridge's own API agent wrote a conversation: its `user_id` is the key's agent and it was
   * not received from outside (`incoming`), a note (source 2) or a reply sent by mail (source 0).
   */
  wroteConversation(c: TFsConversation): Promise<boolean>;
  /** Whether access-bridge's own API agent asked for an approval (its `user_id`). */
  requestedApproval(userId: number | null | undefined): Promise<boolean>;
};

export function createFreshserviceIdentity(fs: FreshserviceClient): FreshserviceIdentity {
  /**
   * The agent the API key belongs to (`GET /api/v2/agents/me`), or null when the tenant does not answer that
   * path (it is absent from the published reference): then any agent counts, which still leaves out every
   * requester. Asked once per worker; a transient failure is asked again.
   */
  let own: Promise<number | null> | undefined;
  function apiAgent(): Promise<number | null> {
    own ??= fs.getCurrentAgent().then(
      (a) => a.id,
      (err: unknown) => {
        if (err instanceof VendorError && err.type === 'NOT_FOUND') return null;
        own = undefined;
        throw err;
      },
    );
    return own;
  }

  const agents = new Map<number, Promise<boolean>>();
  function isAgent(userId: number): Promise<boolean> {
    let known = agents.get(userId);
    if (!known) {
      known = fs.getAgent(userId).then(
        () => true,
        (err: unknown) => {
          if (err instanceof VendorError && err.type === 'NOT_FOUND') return false;
          agents.delete(userId);
          throw err;
        },
      );
      agents.set(userId, known);
    }
    return known;
  }

  async function isAccessBridge(userId: number | null | undefined): Promise<boolean> {
    if (userId === null || userId === undefined) return false;
    const me = await apiAgent();
    return me !== null ? userId === me : isAgent(userId);
  }

  return {
    async wroteConversation(c) {
      if (c.incoming === true) return false;
      if (c.source !== null && c.source !== SOURCE_NOTE && c.source !== SOURCE_EMAIL) return false;
      return isAccessBridge(c.user_id);
    },
    requestedApproval: isAccessBridge,
  };
}

/**
 * The step a conversation was posted for: the last step marker in its text, which is the one access-bridge
 * appends after everything else (a marker inside text it quotes comes earlier and never counts).
 */
export function postedStep(c: TFsConversation): string | undefined {
  return lastStepMarker(c.body_text ?? '') ?? lastStepMarker(c.body ?? '');
}

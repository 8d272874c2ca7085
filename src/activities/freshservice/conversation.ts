// A ticket's conversation: notes for agents and replies to the requester, each posted once per workflow
// step. Every post ends with the step's marker (stepMarker, the one definition workflows share), and a retry
// that finds a conversation access-bridge itself wrote ending with that marker does not post again. Text
// anyone else can write (a requester's note or emailed reply, the ticket description, a justification
// access-bridge quotes inside its own note) never counts: the author is checked against access-bridge's own
// API agent, and only the last marker of its own conversation names the step.
import type { FreshserviceClient } from '../../integrations/freshservice';
import { stepMarker } from '../../workflows/shared/contract';
import type { FreshserviceActivities } from './contract';
import { postedStep, type FreshserviceIdentity } from './identity';

type ConversationActivities = Pick<FreshserviceActivities, 'addNoteOnce' | 'replyOnce'>;

export function createConversationActivities(
  fs: FreshserviceClient,
  identity: FreshserviceIdentity,
): ConversationActivities {
  /** Whether access-bridge already posted the note or reply of this step on the ticket. */
  async function alreadyPosted(ticketId: number, marker: string): Promise<boolean> {
    for await (const c of fs.listConversations(ticketId)) {
      if (postedStep(c) === marker && (await identity.wroteConversation(c))) return true;
    }
    return false;
  }

  const withMarker = (html: string, marker: string) => `${html}<p><small>${marker}</small></p>`;

  return {
    async addNoteOnce(input) {
      const marker = stepMarker(input.stepId);
      if (await alreadyPosted(input.ticketId, marker)) return;
      await fs.addNote(input.ticketId, {
        body: withMarker(input.html, marker),
        private: input.private ?? false,
      });
    },

    async replyOnce(input) {
      const marker = stepMarker(input.stepId);
      if (await alreadyPosted(input.ticketId, marker)) return;
      await fs.reply(input.ticketId, { body: withMarker(input.html, marker) });
    },
  };
}

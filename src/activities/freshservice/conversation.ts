// A ticket's conversation: notes for agents and replies to the requester, each posted once per workflow
// step. Every post ends with the step's marker (stepMarker, the one definition workflows share), and a retry
// that finds the marker in the conversation does not post again.
import type { FreshserviceClient } from '../../integrations/freshservice';
import { stepMarker } from '../../workflows/shared/contract';
import type { FreshserviceActivities } from './contract';

type ConversationActivities = Pick<FreshserviceActivities, 'addNoteOnce' | 'replyOnce'>;

export function createConversationActivities(fs: FreshserviceClient): ConversationActivities {
  /** Whether a note or reply of this step is already in the ticket's conversation. */
  async function alreadyPosted(ticketId: number, marker: string): Promise<boolean> {
    for await (const c of fs.listConversations(ticketId)) {
      if ((c.body ?? '').includes(marker) || (c.body_text ?? '').includes(marker)) return true;
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

// The policy file: one section per rule family. Each family (src/policy/<family>/) exports its sections and
// the rules across them; the file's root lists every family's, strictly, so an unknown top-level key is an
// error naming it. A new rule family adds its sections and refinement here, and edits no other family.
import { z } from 'zod';
import { ACCESS_POLICY_SECTIONS, parseOrThrow, refineAccessPolicy } from './access/schema';

export const ZPolicyFile = z.strictObject({ ...ACCESS_POLICY_SECTIONS }).superRefine((file, ctx) => {
  refineAccessPolicy(file, ctx);
});

/** The whole validated policy file (durations in ms). */
export type TPolicyFile = z.infer<typeof ZPolicyFile>;

/** Validates a parsed policy file; throws an Error listing each failing path. */
export function parsePolicyFile(raw: unknown, source = 'policy file'): TPolicyFile {
  return parseOrThrow(ZPolicyFile, raw, source);
}

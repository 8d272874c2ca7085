// One odd element must not cost a caller the rest of a vendor list (nor the list's cursor): each element
// is parsed on its own, and those the schema refuses come back with the reason and the raw element, for
// callers that can make do with less than the full schema (intake routes on a handful of fields).
import { z } from 'zod';

export type SkippedElement = {
  /** Position in the list as the vendor sent it. */
  index: number;
  /** The first failing field and why, e.g. `target.0.id: Invalid input: expected string, received undefined`. */
  reason: string;
  element: unknown;
};

export type ParsedList<T> = { parsed: T[]; skipped: SkippedElement[] };

/** The first failing field of a zod error as a log line reads it: `target.0.id: Invalid input: …`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return `${path}${issue?.message ?? 'invalid'}`;
}

/** Parses every element with `schema`; refused elements are skipped, never fatal. */
export function parseEach<S extends z.ZodType>(
  schema: S,
  elements: readonly unknown[],
): ParsedList<z.output<S>> {
  const parsed: z.output<S>[] = [];
  const skipped: SkippedElement[] = [];
  elements.forEach((element, index) => {
    const result = schema.safeParse(element);
    if (result.success) {
      parsed.push(result.data);
      return;
    }
    skipped.push({ index, reason: firstIssue(result.error), element });
  });
  return { parsed, skipped };
}

/** A string field of an element the schema refused, for logs: absent unless a non-empty string. */
export function stringFieldOf(element: unknown, key: string): string | undefined {
  const read = z.looseObject({ [key]: z.string().min(1) }).safeParse(element);
  return read.success ? read.data[key] : undefined;
}

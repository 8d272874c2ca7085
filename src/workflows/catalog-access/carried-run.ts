// Deadlines a catalog access request carries across continue-as-new as epoch ms (the carried run's shape
// is in contract.ts): null stands for "never", since infinity does not survive a workflow's JSON payloads.

/** Epoch ms, with null standing for "never" (infinity does not survive a workflow's JSON payloads). */
export const toMs = (v: number | null) => v ?? Number.POSITIVE_INFINITY;
export const fromMs = (v: number) => (Number.isFinite(v) ? v : null);

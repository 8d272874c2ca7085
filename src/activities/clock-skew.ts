// One allowance for vendor clocks, shared by every lookup that looks for an earlier attempt's lost result
// (an OIG request, a ticket, an approval) in a window that starts at the first attempt.

/** How far a vendor's clock may lag ours when a lookup window starts at the first attempt. */
export const CLOCK_SKEW_MS = 60_000;

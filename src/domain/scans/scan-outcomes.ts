/**
 * The history outcomes of a scan that was accepted (SPEC §3): a parent created or resumed, a child
 * linked or already in that parent. Anything else on a scan row is a refusal code. The dashboard
 * counts, the activity figures and the counting trigger (migration 0005, stat_events_inserted)
 * all use this list; test/domain/scan-outcomes.test.ts holds the trigger to it.
 */
export const ACCEPTED_SCAN_OUTCOMES = ['created', 'resumed', 'linked', 'already_linked'] as const;
export type AcceptedScanOutcome = (typeof ACCEPTED_SCAN_OUTCOMES)[number];

export const SCAN_ACTIONS = ['scan.parent', 'scan.child'] as const;

/**
 * The dashboard counters' entry in `tracetrack check` (domain/check/check.service.ts CHECKS):
 * bags per area, accepted scans per day and area, bills per status, each against a recount.
 * Reads whole tables: an operator task, never on a request path.
 */
import type { Check } from '../check/check.service.js';
import { dashboardCounterDifferences, rebuildDashboardCounters } from '../../storage/dashboard-check.repository.js';

export const dashboardCountersCheck: Check = {
  name: 'dashboard-counters',
  description: 'the dashboard figures (bags per area, scans per day, bills per status) equal a recount of the rows',
  find: dashboardCounterDifferences,
  fix: (tx) => rebuildDashboardCounters(tx),
};

/** The audit browser: filters (GET form, so a view can be bookmarked), a keyset-paged table, CSV link. */
import { html } from '../../../lib/html.js';
import type { HistoryEvent } from '../../../domain/audit/event.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

export interface AuditFilterForm {
  actor?: string | undefined;
  action?: string | undefined;
  subject?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  includeScans?: boolean | undefined;
}

const query = (f: AuditFilterForm, extra: Record<string, string> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

const detailsText = (d: Record<string, unknown> | null) => (d ? JSON.stringify(d) : '');

/** `csvHref`: the export link with the same filters (the API takes instants, the page days). */
export function auditView(
  frame: PageFrame,
  filter: AuditFilterForm,
  items: HistoryEvent[],
  nextCursor: string | null,
  timeZone: string,
  csvHref: string,
) {
  return layout(
    frame,
    html`<section class="card">
  <h1>Audit log</h1>
  <form method="get" action="/admin/audit" class="row filters">
    <label>User <input name="actor" value="${filter.actor ?? ''}" maxlength="64" placeholder="username"></label>
    <label>Action <input name="action" value="${filter.action ?? ''}" maxlength="64" placeholder="login, user.*"></label>
    <label>Subject <input name="subject" value="${filter.subject ?? ''}" maxlength="300" placeholder="user:12, area:jaipur, SB00001"></label>
    <label>From <input name="from" type="date" value="${filter.from ?? ''}"></label>
    <label>To <input name="to" type="date" value="${filter.to ?? ''}"></label>
    <label class="check"><input type="checkbox" name="includeScans" value="true"${filter.includeScans ? html` checked` : ''}> include scans</label>
    <button class="primary">Filter</button>
    <a class="button" href="${csvHref}">Export CSV</a>
    <a class="button" href="${csvHref.replace('/api/exports/events.csv', '/api/exports/events.xlsx')}">Export XLSX</a>
  </form>
  <p class="muted">Times in ${timeZone}. Dates are whole days in that zone.</p>
  <div class="table-wrap"><table class="list audit">
    <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Outcome</th><th>Subject</th><th>From</th><th>Details</th></tr></thead>
    <tbody>
    ${items.length === 0 ? html`<tr><td colspan="7" class="muted">Nothing matches.</td></tr>` : ''}
    ${items.map(
      (e) => html`<tr>
      <td>${formatTime(e.at, timeZone)}</td>
      <td>${e.actorName ?? '—'}</td>
      <td>${e.action}</td>
      <td>${e.outcome}</td>
      <td>${e.subject ?? ''}${e.related ? html` <small class="muted">(${e.related})</small>` : ''}</td>
      <td>${e.ip ?? ''}${e.station ? html`<br><small>${e.station}</small>` : ''}${e.requestId ? html`<br><small class="muted">${e.requestId}</small>` : ''}</td>
      <td><small>${detailsText(e.details)}</small></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  ${nextCursor ? html`<p><a class="button" href="/admin/audit${query(filter, { cursor: nextCursor })}">Older entries →</a></p>` : ''}
</section>`,
  );
}

/**
 * One user's activity: figures, accepted scans per day for 30 days as an SVG bar chart (SVG
 * attributes, not inline styles: the CSP forbids those), the latest scans and the last login.
 */
import { html } from '../../../lib/html.js';
import type { DayCount, UserActivity } from '../../../domain/users/activity.service.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

const W = 620;
const H = 160;
const PAD = 20;

export function barChart(days: DayCount[]) {
  const max = Math.max(1, ...days.map((d) => d.accepted));
  const slot = (W - PAD) / Math.max(1, days.length);
  const barW = Math.max(2, Math.floor(slot * 0.75));
  return html`<svg class="chart" viewBox="0 0 ${W} ${H + 18}" role="img" aria-label="Accepted scans per day, last ${days.length} days (highest ${max})">
  <line x1="${PAD}" y1="${H}" x2="${W}" y2="${H}" class="axis"></line>
  <text x="0" y="12" class="tick">${max}</text><text x="0" y="${H}" class="tick">0</text>
  ${days.map((d, i) => {
    const h = Math.round((d.accepted / max) * (H - 10));
    const x = Math.round(PAD + i * slot);
    return html`<rect x="${x}" y="${H - h}" width="${barW}" height="${h}" class="bar"><title>${d.day}: ${d.accepted} accepted, ${d.refused} refused</title></rect>`;
  })}
  <text x="${PAD}" y="${H + 16}" class="tick">${days[0]?.day ?? ''}</text>
  <text x="${W}" y="${H + 16}" class="tick" text-anchor="end">${days[days.length - 1]?.day ?? ''}</text>
</svg>`;
}

export function activityView(frame: PageFrame, a: UserActivity, timeZone: string) {
  const total = a.days.reduce((n, d) => n + d.accepted, 0);
  const refused = a.days.reduce((n, d) => n + d.refused, 0);
  return layout(
    frame,
    html`<section class="card">
  <p><a href="/admin/users">← Users</a></p>
  <h1>${a.user.username}</h1>
  <p>${a.user.role}${a.user.areaId ? html` · ${a.user.areaId}` : ''} · ${a.user.active ? 'active' : 'disabled'}</p>
  <dl class="figures">
    <div><dt>Last login</dt><dd>${formatTime(a.user.lastLoginAt, timeZone)}</dd></div>
    <div><dt>Scans today</dt><dd>${a.scansToday}</dd></div>
    <div><dt>Scans, 7 days</dt><dd>${a.scans7Days}</dd></div>
    <div><dt>Scans, 30 days</dt><dd>${total}${refused ? html` <small class="muted">(+${refused} refused)</small>` : ''}</dd></div>
  </dl>
</section>
<section class="card">
  <h2>Accepted scans per day</h2>
  ${barChart(a.days)}
  <p class="muted">Days in ${timeZone}.</p>
</section>
<section class="card">
  <h2>Latest scans</h2>
  ${
    a.recent.length === 0
      ? html`<p class="muted">No scans yet.</p>`
      : html`<div class="table-wrap"><table class="list">
    <thead><tr><th>When</th><th>Scan</th><th>Code</th><th>Parent</th><th>Outcome</th><th>Area</th></tr></thead>
    <tbody>${a.recent.map(
      (r) => html`<tr><td>${formatTime(r.at, timeZone)}</td><td>${r.action === 'scan.parent' ? 'parent' : 'child'}</td>
        <td>${r.subject ?? ''}</td><td>${r.related ?? ''}</td><td>${r.outcome}</td><td>${r.areaId ?? ''}</td></tr>`,
    )}</tbody>
  </table></div>`
  }
  <p><a href="/admin/audit?actor=${a.user.username}&amp;includeScans=true">Full history in the audit log</a></p>
</section>`,
  );
}

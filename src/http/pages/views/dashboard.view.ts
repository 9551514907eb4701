/**
 * The dashboard at / : figures, per-area figures (admins), recent scans, quick actions. Server
 * rendered complete, so it is useful before (and without) JavaScript; public/build/dashboard.js
 * (src/client/dashboard.ts) then keeps the `data-stat` figures and the recent list current from
 * the live stream. Recent entries here and in the client share one markup.
 */
import { html, type Html } from '../../../lib/html.js';
import type { DashboardStats } from '../../../domain/dashboard/dashboard.service.js';
import type { User } from '../../../domain/users/user.js';
import { layout, navFor, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';
import { actionLabel, isRefusal } from './timeline.view.js';
import { bagHref } from './bag.view.js';
import { columnChart } from './charts.view.js';

export interface RecentEntry {
  at: Date;
  action: string;
  outcome: string;
  subject: string | null;
  related: string | null;
  actor: string | null;
  area: string | null;
}

const n = (v: number) => v.toLocaleString('en-IN');

function stat(key: string, label: string, value: number): Html {
  return html`<div class="stat"><span class="stat-n" data-stat="${key}">${n(value)}</span><span class="stat-label">${label}</span></div>`;
}

const code = (c: string | null) => (c ? html`<a href="${bagHref(c)}">${c}</a>` : '');

export function recentItem(e: RecentEntry, timeZone: string): Html {
  return html`<li class="${isRefusal(e.outcome) ? 'refused' : 'accepted'}"><time>${formatTime(e.at, timeZone)}</time>
<span class="what">${actionLabel(e.action, e.outcome)}</span> ${code(e.subject)}${e.related ? html` → ${code(e.related)}` : ''}
<span class="outcome">${e.outcome}</span> <span class="muted">${e.actor ?? ''}${e.area ? html` · ${e.area}` : ''}</span></li>`;
}

export function dashboardView(
  frame: PageFrame,
  user: User,
  s: DashboardStats,
  recent: RecentEntry[],
  timeZone: string,
  withBills: boolean,
  hourly?: number[],
): Html {
  const actions = navFor(user).filter((l) => l.href !== '/');
  return layout(
    frame,
    html`<section id="dashboard" class="dashboard" data-zone="${timeZone}">
  <div class="dash-head">
    <h1>Dashboard${user.role === 'dispatcher' && user.areaId ? html` <small class="muted">${user.areaId}</small>` : ''}</h1>
    <span id="live-state" class="live-state" data-state="off" role="status">not live</span>
  </div>
  <div class="stats">
    ${stat('parentBags', 'Parent bags', s.parentBags)}
    ${stat('childBags', 'Child bags', s.childBags)}
    ${stat('scansToday', 'Scans today', s.scansToday)}
    ${
      withBills
        ? html`${stat('bills.new', 'New bills', s.bills.new)}${stat('bills.processing', 'Bills in progress', s.bills.processing)}${stat('bills.completed', 'Completed bills', s.bills.completed)}`
        : ''
    }
  </div>
  ${actions.length ? html`<ul class="quick">${actions.map((l, i) => html`<li><a class="button${i === 0 ? ' primary' : ''}" href="${l.href}">${l.label}</a></li>`)}</ul>` : ''}
</section>
${
  s.areas
    ? html`<section class="card">
  <h2>By area</h2>
  <div class="table-wrap"><table class="list areas-figures">
    <thead><tr><th>Area</th><th>Parent bags</th><th>Child bags</th></tr></thead>
    <tbody>${s.areas.map(
      (a) =>
        html`<tr data-area="${a.area}"><td>${a.name}</td><td data-stat="parentBags">${n(a.parentBags)}</td><td data-stat="childBags">${n(a.childBags)}</td></tr>`,
    )}</tbody>
  </table></div>
</section>`
    : ''
}
${
  hourly
    ? html`<section class="card"><h2>Scans today, per hour</h2>
  ${columnChart(
    hourly.map((v, h) => ({ label: String(h).padStart(2, '0'), value: v })),
    { title: 'Accepted scans today per hour', id: 'hourly-chart', everyNthLabel: 3 },
  )}</section>`
    : ''
}
<section class="card">
  <h2>Recent scans</h2>
  <p class="muted">Newest first, times in ${timeZone}${user.role === 'dispatcher' ? ', your area only' : ''}.</p>
  <ol id="recent" class="recent">${recent.map((e) => recentItem(e, timeZone))}</ol>
  ${recent.length === 0 ? html`<p class="muted" id="recent-empty">No scans yet.</p>` : ''}
</section>`,
  );
}

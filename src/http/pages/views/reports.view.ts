/**
 * /reports: the day's report with charts (child scans per hour, per area, per user, bills by
 * status), a date picker and area filter, downloads, and — for billers and admins — the bill
 * summary of a range of days. Charts are server-side SVG (views/charts.view.ts).
 */
import { html, type Html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import type { BillSummary, DailyReport } from '../../../domain/reports/reports.service.js';
import type { SendLogEntry } from '../../../storage/report-sends.repository.js';
import { barList, columnChart } from './charts.view.js';
import { formatTime } from './format.js';
import { layout, type PageFrame } from './layout.view.js';

export interface ReportsPage {
  report: DailyReport;
  /** Null for dispatchers: they see their own area only. */
  areas: Area[] | null;
  bills: BillSummary | null;
  /** End-of-day e-mail panel, admins only. */
  email?: Html;
  timeZone: string;
}

const n = (v: number) => v.toLocaleString('en-IN');
const fig = (label: string, value: number) =>
  html`<div class="stat"><span class="stat-n">${n(value)}</span><span class="stat-label">${label}</span></div>`;

function dayForm(r: DailyReport, areas: Area[] | null): Html {
  return html`<form method="get" action="/reports" class="row filters" role="search">
    <label>Day <input name="date" type="date" value="${r.date}" required></label>
    ${
      areas
        ? html`<label>Area <select name="area"><option value="">all areas</option>${areas.map(
            (a) => html`<option value="${a.id}"${a.id === r.area ? html` selected` : ''}>${a.name}</option>`,
          )}</select></label>`
        : ''
    }
    <button class="primary">Show</button>
  </form>`;
}

function downloads(r: DailyReport): Html {
  const q = `date=${r.date}${r.area ? `&area=${r.area}` : ''}`;
  return html`<p class="downloads">Download: ${['csv', 'xlsx', 'pdf'].map((ext) => html`<a class="button" href="/api/reports/daily.${ext}?${q}" download>${ext.toUpperCase()}</a> `)}</p>`;
}

function billSection(s: BillSummary, canPickCreator: boolean, timeZone: string): Html {
  const t = s.totals;
  return html`<section class="card" id="bill-summary">
  <h2>Bill summary</h2>
  <form method="get" action="/reports" class="row filters">
    <label>From <input name="from" type="date" value="${s.from}"></label>
    <label>To <input name="to" type="date" value="${s.to}"></label>
    ${canPickCreator ? html`<label>Created by <input name="createdBy" value="${s.createdBy ?? ''}" maxlength="64" placeholder="any user"></label>` : ''}
    <button>Show bills</button>
  </form>
  <p class="muted">Bills created from ${s.from} to ${s.to}${s.createdBy ? ` by ${s.createdBy}` : ''}; status and figures as they are now.</p>
  <div class="table-wrap"><table class="list bill-summary">
    <thead><tr><th>Bill</th><th>Status</th><th>Parents</th><th>Children</th><th>Actual kg</th><th>Expected kg</th><th>Created by</th><th>Created</th></tr></thead>
    <tbody>${s.items.map(
      (b) =>
        html`<tr><td><a href="/bills/${encodeURIComponent(b.billId)}">${b.billId}</a></td><td>${b.status}</td><td>${n(b.parentCount)}</td><td>${n(b.childCount)}</td><td>${n(b.actualWeightKg)}</td><td>${n(b.expectedWeightKg)}</td><td>${b.createdBy ?? '—'}</td><td>${formatTime(b.createdAt, timeZone)}</td></tr>`,
    )}</tbody>
    <tfoot><tr><th>${n(t.bills)} bills</th><th>${n(t.byStatus.new)} new · ${n(t.byStatus.processing)} in progress · ${n(t.byStatus.completed)} completed</th><th>${n(t.parentCount)}</th><th>${n(t.childCount)}</th><th>${n(t.actualWeightKg)}</th><th>${n(t.expectedWeightKg)}</th><th colspan="2"></th></tr></tfoot>
  </table></div>
  ${s.truncated ? html`<p class="muted">Only the first ${s.items.length} bills are listed; the totals count them all.</p>` : ''}
</section>`;
}

export function reportsView(frame: PageFrame, p: ReportsPage, canPickCreator: boolean): Html {
  const r = p.report;
  const hours = r.hourly.map((v, h) => ({ label: String(h).padStart(2, '0'), value: v }));
  const names = new Map((p.areas ?? []).map((a) => [a.id, a.name]));
  const byArea = [...r.byArea]
    .sort((a, b) => b.childScans - a.childScans)
    .map((a) => ({ label: names.get(a.area) ?? a.area, value: a.childScans, note: `child scans, ${a.parentBags} new parents` }));
  const byUser = r.byUser.map((u) => ({
    label: u.username,
    value: u.childScans,
    note: `child scans, ${u.parentScans} parent scans, ${u.refused} refused`,
  }));
  const status = [
    { label: 'new', value: r.bills.byStatus.new },
    { label: 'in progress', value: r.bills.byStatus.processing },
    { label: 'completed', value: r.bills.byStatus.completed },
  ];
  return layout(
    frame,
    html`<section class="card reports">
  <h1>Daily report <small class="muted">${r.date}${r.area ? ` · ${names.get(r.area) ?? r.area}` : ' · all areas'}</small></h1>
  ${dayForm(r, p.areas)}
  <p class="muted">A calendar day in ${r.timezone}, counted from the history.</p>
  <div class="stats">
    ${fig('Parent scans', r.scans.parent)}${fig('Child scans', r.scans.child)}${fig('Refused scans', r.scans.refused)}
    ${fig('Parents completed', r.parents.completed)}${fig('of them short', r.parents.short)}
    ${p.bills ? html`${fig('Bills created', r.bills.created)}${fig('Bills completed', r.bills.completed)}` : ''}
    ${fig('Return tickets', r.returns.tickets)}${fig('Returned bags', r.returns.bags)}
  </div>
  ${downloads(r)}
</section>
<section class="card"><h2>Child scans per hour</h2>${columnChart(hours, { title: 'Child scans per hour', everyNthLabel: 2 })}</section>
<div class="report-grid">
  <section class="card"><h2>Child scans per area</h2>${barList(byArea, { title: 'Child scans per area' })}</section>
  <section class="card"><h2>Child scans per user</h2>${barList(byUser, { title: 'Child scans per user' })}
  ${r.byUser.length > 15 ? html`<p class="muted">Top 15 of ${r.byUser.length}; the downloads list everyone.</p>` : ''}</section>
  ${p.bills ? html`<section class="card"><h2>Bills created this day, by status now</h2>${barList(status, { title: 'Bills by status' })}</section>` : ''}
</div>
${p.email ?? ''}
${p.bills ? billSection(p.bills, canPickCreator, p.timeZone) : ''}`,
  );
}

/** Admins: the end-of-day e-mail's schedule, a "send now" button and the log of sends. */
export function emailPanel(p: { configured: boolean; time: string; csrfToken: string; log: SendLogEntry[]; timeZone: string }): Html {
  return html`<section class="card" id="report-email">
  <h2>End-of-day e-mail</h2>
  ${
    p.configured
      ? html`<p>Sent every day at ${p.time} (${p.timeZone}) by one process, with retries.</p>
  <form method="post" action="/reports/email/send"><input type="hidden" name="_csrf" value="${p.csrfToken}"><button class="primary">Send today's report now</button></form>`
      : html`<p class="muted">Not set up: set SMTP_URL and REPORT_EMAIL_TO to send the day's report at ${p.time}.</p>`
  }
  ${
    p.log.length
      ? html`<div class="table-wrap"><table class="list send-log"><thead><tr><th>When</th><th>Day</th><th>How</th><th>Try</th><th>Result</th></tr></thead>
    <tbody>${p.log.map((e) => html`<tr class="${e.ok ? 'accepted' : 'refused'}"><td>${formatTime(e.at, p.timeZone)}</td><td>${e.day}</td><td>${e.trigger === 'manual' ? 'send now' : 'scheduled'}</td><td>${e.attempt}</td><td>${e.ok ? `sent to ${e.recipients}` : `failed: ${e.error ?? ''}`}</td></tr>`)}</tbody></table></div>`
      : html`<p class="muted">Nothing sent yet.</p>`
  }
</section>`;
}

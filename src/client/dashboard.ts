/**
 * Entry of the dashboard page (/), bundled to public/build/dashboard.js. Keeps the figures and
 * the recent-scans list current without a reload, from the live stream GET /api/live
 * (server-sent events; src/http/api/live.routes.ts).
 *
 * The stream says that something happened; the figures are then re-read from
 * GET /api/dashboard/stats (cheap counters), at most every REFRESH_MS, so 200 scanners do not
 * turn into 200 requests a second per screen, and the figures are always the server's, never
 * a sum kept by the browser. Recent entries are painted in batches at most every RENDER_MS.
 * Whenever the stream (re)connects, figures and list are re-read whole: nothing missed while
 * it was away stays missing.
 */
import type { LiveEvent } from '../domain/live/live.js';
import { displayTime, displayTimeFormat } from '../lib/display-time.js';
import { hourlyChart } from './hourly-chart.js';

interface Stats {
  parentBags: number;
  childBags: number;
  scansToday: number;
  bills: { new: number; processing: number; completed: number };
  areas?: Array<{ area: string; parentBags: number; childBags: number }>;
}

const REFRESH_MS = 1500;
const RENDER_MS = 400;
const MAX_RECENT = 20;
const LABELS: Record<string, string> = {
  'scan.parent': 'Parent scan',
  'scan.child': 'Child scan',
  'scan.undo': 'Undo',
  'scan.unlink': 'Unlink',
};

const root = document.getElementById('dashboard');
const list = document.getElementById('recent');
const badge = document.getElementById('live-state');

/** The pages' own time format; a zone this browser does not know falls back to the browser's. */
function timeFormat(zone: string): (iso: string) => string {
  let f: Intl.DateTimeFormat;
  try {
    f = displayTimeFormat(zone);
  } catch {
    f = displayTimeFormat();
  }
  return (iso) => displayTime(f, new Date(iso));
}

const formatNumber = (n: number) => n.toLocaleString('en-IN');

function setState(state: 'live' | 'connecting' | 'off', text: string): void {
  if (root) root.dataset.live = state;
  if (!badge) return;
  badge.dataset.state = state;
  badge.textContent = text;
}

function el(tag: string, text?: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function codeLink(code: string): HTMLElement {
  const a = el('a', code) as HTMLAnchorElement;
  a.href = `/bags/${encodeURIComponent(code)}`;
  return a;
}

/** The markup of src/http/pages/views/dashboard.view.ts recentItem(), built with the DOM API. */
function recentItem(e: LiveEvent, format: (iso: string) => string): HTMLElement {
  const li = el('li', undefined, e.ok ? 'accepted' : 'refused');
  li.append(el('time', format(e.at)), ' ', el('span', LABELS[e.action] ?? e.action, 'what'), ' ');
  if (e.subject) li.append(codeLink(e.subject));
  if (e.related) li.append(' → ', codeLink(e.related));
  li.append(' ', el('span', e.outcome, 'outcome'), ' ', el('span', `${e.actor ?? ''}${e.area ? ` · ${e.area}` : ''}`, 'muted'));
  return li;
}

function applyStats(s: Stats): void {
  const figures: Record<string, number> = {
    parentBags: s.parentBags,
    childBags: s.childBags,
    scansToday: s.scansToday,
    'bills.new': s.bills.new,
    'bills.processing': s.bills.processing,
    'bills.completed': s.bills.completed,
  };
  root?.querySelectorAll<HTMLElement>('.stats [data-stat]').forEach((node) => {
    const v = figures[node.dataset.stat ?? ''];
    if (v !== undefined && node.textContent !== formatNumber(v)) node.textContent = formatNumber(v);
  });
  for (const a of s.areas ?? []) {
    const row = document.querySelector<HTMLElement>(`tr[data-area="${CSS.escape(a.area)}"]`);
    row?.querySelectorAll<HTMLElement>('[data-stat]').forEach((node) => {
      const v = node.dataset.stat === 'parentBags' ? a.parentBags : a.childBags;
      node.textContent = formatNumber(v);
    });
  }
}

async function getJson<T>(path: string): Promise<T | 'signed-out' | undefined> {
  try {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) return 'signed-out';
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined; // offline for a moment: the next event or reconnect tries again
  }
}

function main(): void {
  if (!root || !list || typeof EventSource === 'undefined') return;
  const format = timeFormat(root.dataset.zone || 'UTC');
  const chart = hourlyChart(root.dataset.zone || 'UTC');
  let pending: LiveEvent[] = [];
  let renderTimer: number | undefined;
  let refreshTimer: number | undefined;
  let lastRefresh = 0;
  let stream: EventSource | undefined;

  const signedOut = () => {
    stream?.close();
    setState('off', 'signed out: reload the page');
  };

  function render(): void {
    renderTimer = undefined;
    const batch = pending;
    pending = [];
    for (const e of batch) list!.insertBefore(recentItem(e, format), list!.firstChild);
    while (list!.children.length > MAX_RECENT) list!.lastElementChild!.remove();
    if (batch.length) document.getElementById('recent-empty')?.remove();
  }

  async function refresh(withList: boolean): Promise<void> {
    refreshTimer = undefined;
    lastRefresh = Date.now();
    const stats = await getJson<Stats>('/api/dashboard/stats');
    if (stats === 'signed-out') return signedOut();
    if (stats) applyStats(stats);
    if (!withList) return;
    const recent = await getJson<{ items: LiveEvent[] }>(`/api/scans/recent?limit=${MAX_RECENT}`);
    if (recent === 'signed-out') return signedOut();
    if (!recent) return;
    pending = [];
    list!.replaceChildren(...recent.items.map((e) => recentItem(e, format)));
    if (recent.items.length) document.getElementById('recent-empty')?.remove();
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) return;
    refreshTimer = window.setTimeout(() => void refresh(false), Math.max(0, lastRefresh + REFRESH_MS - Date.now()));
  }

  stream = new EventSource('/api/live');
  setState('connecting', 'connecting…');
  stream.addEventListener('ready', () => {
    setState('live', 'live');
    void refresh(true);
    void chart?.reload();
  });
  stream.onmessage = (msg) => {
    let events: LiveEvent[];
    try {
      events = JSON.parse(msg.data) as LiveEvent[];
    } catch {
      return;
    }
    chart?.add(events);
    pending.push(...events.filter((e) => e.action === 'scan.parent' || e.action === 'scan.child'));
    if (pending.length && renderTimer === undefined) {
      renderTimer = window.setTimeout(() => window.requestAnimationFrame(render), RENDER_MS);
    }
    scheduleRefresh();
  };
  stream.onerror = () => {
    // CLOSED: the server refused the stream (signed out); otherwise the browser reconnects.
    if (stream!.readyState === EventSource.CLOSED) void refresh(false).then(() => setState('off', 'not live: reload the page'));
    else setState('connecting', 'reconnecting…');
  };
}

main();

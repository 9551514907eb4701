/**
 * The dashboard's "scans today, per hour" chart (server-rendered SVG, views/charts.view.ts),
 * kept live: each accepted scan of the live stream adds one to its hour's bar; on (re)connect
 * the whole day is re-read from GET /api/reports/today-hourly, so nothing missed stays missing.
 * Another day (midnight passed) is re-read too.
 */
import type { LiveEvent } from '../domain/live/live.js';

export interface HourlyChart {
  add(events: LiveEvent[]): void;
  reload(): Promise<void>;
}

export function hourlyChart(zone: string): HourlyChart | undefined {
  const svg = document.getElementById('hourly-chart');
  if (!svg) return undefined;
  const base = Number(svg.dataset.base);
  const room = Number(svg.dataset.room);
  const bars = Array.from(svg.querySelectorAll<SVGRectElement>('rect.bar'));
  const counts = bars.map((b) => Number(b.dataset.value ?? 0));
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  }
  const local = (iso: string) => {
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(new Date(iso))) p[part.type] = part.value;
    return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
  };
  let day = local(new Date().toISOString()).day;

  function paint(): void {
    const max = Math.max(1, ...counts);
    bars.forEach((bar, i) => {
      const h = Math.round(((counts[i] ?? 0) / max) * room);
      bar.setAttribute('y', String(base - h));
      bar.setAttribute('height', String(h));
      bar.dataset.value = String(counts[i] ?? 0);
      const title = bar.querySelector('title');
      if (title) title.textContent = `${String(i).padStart(2, '0')}: ${counts[i] ?? 0}`;
    });
    const label = svg!.querySelector('text.max');
    if (label) label.textContent = max.toLocaleString('en-IN');
  }

  async function reload(): Promise<void> {
    try {
      const res = await fetch('/api/reports/today-hourly', { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const body = (await res.json()) as { date: string; hourly: number[] };
      day = body.date;
      for (const [i, v] of body.hourly.entries()) counts[i] = v;
      paint();
    } catch {
      // offline for a moment: the next reconnect re-reads
    }
  }

  return {
    reload,
    add(events) {
      let changed = false;
      for (const e of events) {
        if (!e.ok || (e.action !== 'scan.parent' && e.action !== 'scan.child')) continue;
        const t = local(e.at);
        if (t.day !== day) {
          void reload(); // a new day began: start from the server's figures
          return;
        }
        counts[t.hour] = (counts[t.hour] ?? 0) + 1;
        changed = true;
      }
      if (changed) paint();
    },
  };
}

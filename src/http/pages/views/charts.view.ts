/**
 * Server-side SVG charts for the reports page (and the dashboard's hourly chart): plain SVG
 * with classes, no inline styles (the CSP forbids them) and no script. Every bar carries a
 * <title> with its figure, so the numbers are readable without the picture.
 */
import { html, type Html } from '../../../lib/html.js';

export interface Bar {
  label: string;
  value: number;
  /** Extra text for the tooltip. */
  note?: string;
}

const fmt = (v: number) => v.toLocaleString('en-IN');

/** Vertical bars, one per label (24 hours, for instance); `id` lets a client script update it. */
export function columnChart(bars: Bar[], opts: { title: string; id?: string; everyNthLabel?: number }): Html {
  const W = 640,
    H = 180,
    left = 34,
    bottom = 18;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (W - left) / Math.max(1, bars.length);
  const bw = Math.max(2, Math.floor(slot * 0.72));
  const nth = opts.everyNthLabel ?? 1;
  return html`<svg class="chart columns" viewBox="0 0 ${W} ${H + bottom}" role="img" aria-label="${opts.title}"${opts.id ? html` id="${opts.id}"` : ''} data-base="${H}" data-room="${H - 12}">
  <line x1="${left}" y1="${H}" x2="${W}" y2="${H}" class="axis"></line>
  <text x="${left - 4}" y="12" class="tick max" text-anchor="end">${fmt(max)}</text><text x="${left - 4}" y="${H}" class="tick" text-anchor="end">0</text>
  ${bars.map((b, i) => {
    const h = Math.round((b.value / max) * (H - 12));
    const x = Math.round(left + i * slot + (slot - bw) / 2);
    return html`<g data-i="${i}"><rect x="${x}" y="${H - h}" width="${bw}" height="${h}" class="bar" data-value="${b.value}"><title>${b.label}: ${fmt(b.value)}${b.note ? ` ${b.note}` : ''}</title></rect>${i % nth === 0 ? html`<text x="${x + bw / 2}" y="${H + 14}" class="tick" text-anchor="middle">${b.label}</text>` : ''}</g>`;
  })}
</svg>`;
}

/** Horizontal bars with the label on the left and the figure on the right: areas, users, statuses. */
export function barList(bars: Bar[], opts: { title: string; max?: number }): Html {
  const shown = bars.slice(0, opts.max ?? 15);
  const W = 320,
    row = 22,
    labelW = 104,
    numW = 34;
  const H = Math.max(1, shown.length) * row;
  const max = Math.max(1, ...shown.map((b) => b.value));
  return html`<svg class="chart bars" viewBox="0 0 ${W} ${H}" role="img" aria-label="${opts.title}">
  ${shown.map((b, i) => {
    const w = Math.round((b.value / max) * (W - labelW - numW - 8));
    const y = i * row;
    return html`<g><text x="${labelW - 6}" y="${y + 15}" class="tick label" text-anchor="end">${b.label.length > 16 ? `${b.label.slice(0, 15)}…` : b.label}</text><rect x="${labelW}" y="${y + 4}" width="${Math.max(w, b.value > 0 ? 2 : 0)}" height="${row - 8}" class="bar"><title>${b.label}: ${fmt(b.value)}${b.note ? ` ${b.note}` : ''}</title></rect><text x="${labelW + w + 6}" y="${y + 15}" class="tick">${fmt(b.value)}</text></g>`;
  })}
  ${shown.length === 0 ? html`<text x="0" y="15" class="tick">Nothing this day.</text>` : ''}
</svg>`;
}

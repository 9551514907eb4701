/**
 * The station's screen: fills the server-rendered skeleton of scan.view.ts (ids `st-*`) using
 * textContent only (scanned text is never parsed as HTML) and classes only (the CSP forbids
 * style attributes; the progress width is set through the CSSOM, which CSP allows).
 */
import { OUTCOMES, type Outcome } from './outcomes.js';
import { byId, codeDialog, confirmDialog, flash, scanRow } from './shell.js';
import { shownCount, type ParentState, type Row } from './state.js';

export interface Screen {
  parent: ParentState | null;
  last: ParentState | null;
  rows: readonly Row[];
  unsent: number;
  showUnsent: boolean;
  offline: boolean;
  blocked: string | null;
}

const SHOWN_ROWS = 8;
const STATE_TEXT: Record<string, string> = { pending: 'Sending…', skipped: 'Not sent: parent refused', unknown: 'Sent; answer not seen' };

function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

export class View {
  readonly root = byId('station');
  private readonly el = {
    mode: byId('st-mode'),
    parent: byId('st-parent'),
    n: byId('st-n'),
    cap: byId('st-cap'),
    bar: byId('st-bar'),
    progress: byId('st-progress'),
    title: byId('st-title'),
    detail: byId('st-detail'),
    typed: byId('st-typed'),
    unsent: byId('st-unsent'),
    net: byId('st-net'),
    blocked: byId('st-blocked'),
    blockedText: byId('st-blocked-text'),
    recent: byId('st-recent'),
    undo: byId<HTMLButtonElement>('st-undo'),
    finish: byId<HTMLButtonElement>('st-finish'),
    change: byId<HTMLButtonElement>('st-change'),
  };

  get buttons() {
    return { undo: this.el.undo, finish: this.el.finish, change: this.el.change };
  }

  render(s: Screen): void {
    const p = s.parent;
    this.root.dataset.mode = p ? 'child' : 'parent';
    this.el.mode.textContent = p ? 'Scan children into' : 'Parent mode';
    this.el.parent.textContent = p ? p.code : s.last ? `Last: ${s.last.code}` : '';
    const n = p ? shownCount(p) : 0;
    const cap = p?.capacity ?? null;
    this.el.n.textContent = String(n);
    this.el.cap.textContent = cap === null ? '?' : String(cap);
    const pct = cap ? Math.min(100, Math.round((n / cap) * 100)) : 0;
    this.el.bar.style.width = `${pct}%`;
    this.el.progress.setAttribute('aria-valuenow', String(n));
    this.el.progress.setAttribute('aria-valuemax', String(cap ?? 0));
    show(this.el.unsent, s.showUnsent && s.unsent > 0);
    this.el.unsent.textContent = `${s.unsent} not sent`;
    show(this.el.net, s.offline);
    show(this.el.blocked, s.blocked !== null);
    this.el.blockedText.textContent = s.blocked ?? '';
    this.el.undo.disabled = !(p ?? s.last);
    show(this.el.finish, p !== null);
    show(this.el.change, p !== null);
    this.renderRows(s.rows);
  }

  private renderRows(rows: readonly Row[]): void {
    const items = rows.slice(0, SHOWN_ROWS).map((row) => {
      const outcome: Outcome | undefined = row.state in OUTCOMES ? OUTCOMES[row.state as keyof typeof OUTCOMES] : undefined;
      const tone = outcome ? outcome.tone : row.state === 'skipped' ? 'err' : 'queued';
      const state = [outcome ? outcome.title : (STATE_TEXT[row.state] ?? row.state), row.text].filter(Boolean).join(' · ');
      return scanRow(row.kind === 'parent' ? `▣ ${row.code}` : row.code, tone, state, { state: row.state });
    });
    this.el.recent.replaceChildren(...items);
  }

  /** The big coloured message of the latest outcome. */
  flash(outcome: Outcome, detail: string, title = outcome.title): void {
    flash(this.root, this.el.title, this.el.detail, outcome, detail, title);
  }

  typed(text: string): void {
    this.el.typed.textContent = text;
  }

  /** A modal yes/no; the wedge holds scans while it is open. */
  confirm(text: string, okLabel: string): Promise<boolean> {
    return confirmDialog('st', text, okLabel);
  }

  /** Manual entry for a damaged label: a real text field, in a dialog. */
  askCode(): Promise<string | null> {
    return codeDialog('st', 'Code');
  }
}

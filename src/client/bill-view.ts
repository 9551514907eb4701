/**
 * The bill scan page's screen: fills the skeleton of bill-scan.view.ts (ids `bs-*`) with
 * textContent only (scanned text is never parsed as HTML) and classes only (the CSP forbids
 * style attributes; progress is a <progress> element).
 */
import { OUTCOMES, type Outcome, type OutcomeKey } from './outcomes.js';
import { byId, codeDialog, confirmDialog, flash, scanRow } from './shell.js';

export interface BillFigures {
  billId: string;
  status: string;
  capacity: number;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
}

export interface ParentLine {
  code: string;
  childCount: number;
  capacity: number | null;
}

export interface ScanRow {
  id: string;
  code: string;
  state: 'pending' | OutcomeKey;
  text: string;
  offline?: boolean;
}

export interface BillScreen {
  bill: BillFigures;
  parents: readonly ParentLine[];
  rows: readonly ScanRow[];
  unsent: number;
  showUnsent: boolean;
  offline: boolean;
  blocked: string | null;
}

const SHOWN_ROWS = 8;

export class BillView {
  readonly root = byId('bill-station');
  private readonly el = {
    status: byId('bs-status'),
    n: byId('bs-n'),
    cap: byId('bs-cap'),
    progress: byId<HTMLProgressElement>('bs-progress'),
    actual: byId('bs-actual'),
    expected: byId('bs-expected'),
    diff: byId('bs-diff'),
    title: byId('bs-title'),
    detail: byId('bs-detail'),
    typed: byId('bs-typed'),
    unsent: byId('bs-unsent'),
    net: byId('bs-net'),
    blocked: byId('bs-blocked'),
    blockedText: byId('bs-blocked-text'),
    recent: byId('bs-recent'),
    parents: byId('bs-parents'),
    complete: byId<HTMLButtonElement>('bs-complete'),
  };

  /** Called with a parent code when its Remove button is pressed. */
  onRemove: (code: string) => void = () => {};

  render(s: BillScreen): void {
    const b = s.bill;
    this.root.dataset.status = b.status;
    this.el.status.textContent = b.status;
    this.el.status.className = `bill-status bill-status-${b.status}`;
    this.el.n.textContent = String(b.parentCount);
    this.el.cap.textContent = String(b.capacity);
    this.el.progress.max = b.capacity;
    this.el.progress.value = b.parentCount;
    this.el.actual.textContent = String(b.actualWeightKg);
    this.el.expected.textContent = String(b.expectedWeightKg);
    const diff = b.actualWeightKg - b.expectedWeightKg;
    this.el.diff.textContent = diff > 0 ? `+${diff}` : diff < 0 ? `−${-diff}` : '0';
    this.el.unsent.hidden = !(s.showUnsent && s.unsent > 0);
    this.el.unsent.textContent = `${s.unsent} not sent`;
    this.el.net.hidden = !s.offline;
    this.el.blocked.hidden = s.blocked === null;
    this.el.blockedText.textContent = s.blocked ?? '';
    this.el.complete.disabled = b.status === 'completed';
    this.el.complete.textContent = b.status === 'completed' ? 'Bill completed' : 'Complete bill';
    this.renderRows(s.rows);
    this.renderParents(s.parents, b.status !== 'completed');
  }

  private renderRows(rows: readonly ScanRow[]): void {
    const items = rows.slice(0, SHOWN_ROWS).map((row) => {
      const outcome: Outcome | undefined = row.state in OUTCOMES ? OUTCOMES[row.state as OutcomeKey] : undefined;
      const state = [outcome ? outcome.title : row.state === 'pending' ? 'Sending…' : 'Saved offline', row.text]
        .filter(Boolean)
        .join(' · ');
      return scanRow(row.code, outcome ? outcome.tone : 'queued', state, { state: row.state });
    });
    this.el.recent.replaceChildren(...items);
  }

  private renderParents(parents: readonly ParentLine[], removable: boolean): void {
    const items = [...parents].reverse().map((p) => {
      const li = document.createElement('li');
      li.dataset.code = p.code;
      const code = document.createElement('span');
      code.className = 'bs-code';
      code.textContent = p.code;
      const count = document.createElement('span');
      count.className = 'bs-count';
      count.textContent = `${p.childCount}/${p.capacity ?? '?'} children`;
      li.append(code, count);
      if (removable) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'small';
        button.textContent = 'Remove';
        button.addEventListener('click', () => {
          button.blur(); // a scanner's Enter must never press it again
          this.onRemove(p.code);
        });
        li.append(button);
      }
      return li;
    });
    this.el.parents.replaceChildren(...items);
  }

  flash(outcome: Outcome, detail: string, title = outcome.title): void {
    flash(this.root, this.el.title, this.el.detail, outcome, detail, title);
  }

  typed(text: string): void {
    this.el.typed.textContent = text;
  }

  /** Asks first (Complete, Remove); `yes` labels the confirming button. */
  confirm(text: string, yes: string): Promise<boolean> {
    return confirmDialog('bs', text, yes);
  }

  askCode(): Promise<string | null> {
    return codeDialog('bs', 'Parent code');
  }
}

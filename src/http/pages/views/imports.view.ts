/** The import page (admins): upload, dry-run preview, confirm, progress, report links, past imports. */
import { html } from '../../../lib/html.js';
import type { ImportRecord } from '../../../storage/imports.repository.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

const KINDS: [string, string][] = [
  ['bags', 'Bags (code, type, parent_code, area)'],
  ['bills', 'Bills (bill_id, capacity, description, destination, vehicle_number)'],
  ['label_batches', 'Label sheets (Sr. No., QR Code)'],
  ['bill_batches', 'Parent → bill batches (Sr. No., QR Code)'],
];

export function importsView(frame: PageFrame, past: ImportRecord[], timeZone: string) {
  return layout(
    frame,
    html`<section class="card" id="import">
  <h1>Import</h1>
  <p class="muted">CSV or XLSX, up to 100 MB. Every row follows the same rules as a scan. Run a dry run first: it shows what would happen and writes nothing. Column reference and sample files: docs/imports.md.</p>
  <form id="import-form" class="row filters">
    <label>Kind <select name="kind" id="import-kind">${KINDS.map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></label>
    <label>File <input type="file" name="file" id="import-file" accept=".csv,.xlsx,.xlsm,text/csv" required></label>
    <button type="submit" class="primary" id="import-dry">Dry run</button>
    <button type="button" id="import-confirm" disabled>Import for real</button>
  </form>
  <div id="import-progress" hidden>
    <div class="st-progress"><div class="st-progress-bar" id="import-bar"></div></div>
    <p id="import-status" class="muted" aria-live="polite"></p>
  </div>
  <div id="import-result" hidden>
    <h2 id="import-result-title"></h2>
    <p id="import-counts"></p>
    <p><a id="import-report-csv" href="#">Report (CSV)</a> · <a id="import-report-xlsx" href="#">Report (XLSX)</a></p>
    <div class="table-wrap"><table class="list" id="import-errors">
      <thead><tr><th>Row</th><th>Code</th><th>Message</th></tr></thead><tbody></tbody>
    </table></div>
  </div>
</section>
<section class="card">
  <h2>Past imports</h2>
  <div class="table-wrap"><table class="list" id="past-imports">
    <thead><tr><th>When</th><th>Who</th><th>File</th><th>Kind</th><th>Rows</th><th>Created</th><th>Linked</th><th>Skipped</th><th>Failed</th><th>Report</th></tr></thead>
    <tbody>
    ${past.length === 0 ? html`<tr><td colspan="10" class="muted">No imports yet.</td></tr>` : ''}
    ${past.map(
      (i) => html`<tr>
      <td>${formatTime(i.createdAt, timeZone)}</td><td>${i.actorName ?? '—'}</td><td>${i.fileName}</td>
      <td>${i.kind}${i.dryRun ? ' (dry run)' : ''}${i.status !== 'done' ? ` · ${i.status}` : ''}</td>
      <td>${i.rows}</td><td>${i.created}</td><td>${i.linked}</td><td>${i.skipped}</td><td>${i.failed}</td>
      <td><a href="/api/imports/${i.id}/report.csv">CSV</a> · <a href="/api/imports/${i.id}/report.xlsx">XLSX</a></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
</section>`,
  );
}

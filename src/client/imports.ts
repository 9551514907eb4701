/**
 * The import page: "Dry run" uploads the file with dryRun=true and shows the counts and the
 * first errors; "Import for real" sends the same file again. While the server works, the
 * newest import's counts are polled (GET /api/imports?limit=1) to move the progress bar.
 */
interface ImportAnswer {
  importId: string;
  dryRun: boolean;
  rows: number;
  created: number;
  linked: number;
  skipped: number;
  failed: number;
  errors: { row: number; code: string; message: string }[];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const csrf = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

function upload(
  kind: string,
  file: File,
  dryRun: boolean,
  onUpload: (fraction: number) => void,
): Promise<{ status: number; body: ImportAnswer & { error?: { message: string } } }> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('dryRun', String(dryRun));
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.setRequestHeader('X-CSRF-Token', csrf());
    xhr.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded / e.total);
    xhr.onload = () => {
      try {
        resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
      } catch {
        reject(new Error(`The server answered ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed: check the connection'));
    xhr.send(form);
  });
}

function showProgress(text: string, fraction: number | null) {
  $('import-progress').hidden = false;
  $('import-status').textContent = text;
  $('import-bar').style.width = fraction === null ? '100%' : `${Math.round(fraction * 100)}%`;
}

function showResult(a: ImportAnswer) {
  $('import-result').hidden = false;
  $('import-result-title').textContent = a.dryRun ? 'Dry run: nothing was written' : 'Imported';
  $('import-counts').textContent = `${a.rows} rows · ${a.created} created · ${a.linked} linked · ${a.skipped} skipped · ${a.failed} failed`;
  $<HTMLAnchorElement>('import-report-csv').href = `/api/imports/${a.importId}/report.csv`;
  $<HTMLAnchorElement>('import-report-xlsx').href = `/api/imports/${a.importId}/report.xlsx`;
  const body = $('import-errors').querySelector('tbody')!;
  body.textContent = '';
  for (const e of a.errors.slice(0, 20)) {
    const tr = document.createElement('tr');
    for (const v of [String(e.row), e.code, e.message]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  if (a.errors.length === 0) body.innerHTML = '<tr><td colspan="3" class="muted">No errors.</td></tr>';
}

/** Past imports as the server renders them (this page's own table), fetched again after each run. */
async function refreshPast() {
  const res = await fetch('/imports', { headers: { accept: 'text/html' } }).catch(() => undefined);
  if (!res?.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').querySelector('#past-imports tbody');
  if (fresh) $('past-imports').querySelector('tbody')?.replaceWith(document.importNode(fresh, true));
}

async function run(dryRun: boolean) {
  const file = $<HTMLInputElement>('import-file').files?.[0];
  if (!file) return;
  const kind = $<HTMLSelectElement>('import-kind').value;
  $<HTMLButtonElement>('import-dry').disabled = true;
  $<HTMLButtonElement>('import-confirm').disabled = true;
  $('import-result').hidden = true;
  let uploaded = false;
  const poll = window.setInterval(async () => {
    if (!uploaded || dryRun) return;
    const res = await fetch('/api/imports?limit=1', { headers: { accept: 'application/json' } }).catch(() => undefined);
    const item = res?.ok ? (await res.json()).items?.[0] : undefined;
    if (item && item.status === 'running') showProgress(`Importing… ${item.rows} rows done`, null);
  }, 1000);
  try {
    const answer = await upload(kind, file, dryRun, (f) => {
      uploaded = f >= 1;
      showProgress(uploaded ? (dryRun ? 'Checking every row…' : 'Importing…') : `Uploading… ${Math.round(f * 100)}%`, f);
    });
    uploaded = true;
    if (answer.status !== 200) {
      showProgress(answer.body.error?.message ?? `Refused (${answer.status})`, 0);
      return;
    }
    showProgress(dryRun ? 'Dry run finished' : 'Import finished', 1);
    showResult(answer.body);
    $<HTMLButtonElement>('import-confirm').disabled = !dryRun;
  } catch (err) {
    showProgress((err as Error).message, 0);
  } finally {
    window.clearInterval(poll);
    $<HTMLButtonElement>('import-dry').disabled = false;
    void refreshPast();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('import-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void run(true);
  });
  $('import-confirm').addEventListener('click', () => void run(false));
  $('import-file').addEventListener('change', () => ($<HTMLButtonElement>('import-confirm').disabled = true));
});

/**
 * The backup file (docs/decisions/0020-backup-format.md): gzip of JSON lines —
 *   1. header  {"format":"tracetrack-backup","version":1,"migrations":[…],"tables":[{name,columns,rows}],"sequences":[…]}
 *   2. per table, in insert order: {"table":NAME,"rows":N} then exactly N row objects
 *   3. trailer {"trailer":true,"rows":{NAME:N…},"sha256":HEX of every line before it}
 * Written to FILE.partial and renamed when complete, so a crashed backup never looks whole.
 * Reading checks gzip's CRC, the section counts and the checksum: a truncated or edited file fails.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';

export const BACKUP_FORMAT = 'tracetrack-backup';
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: string;
  columns: string[];
  rows: number;
}

export interface BackupSequence {
  sequence: string;
  table: string;
  column: string;
  value: string;
  isCalled: boolean;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  engine: string;
  migrations: string[];
  tables: BackupTable[];
  sequences: BackupSequence[];
}

export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

export class BackupWriter {
  private readonly hash = createHash('sha256');
  private readonly gzip = zlib.createGzip({ level: 6 });
  private readonly file: fs.WriteStream;
  private readonly partial: string;
  private done: Promise<unknown>;

  constructor(private readonly path: string) {
    this.partial = `${path}.partial`;
    this.file = fs.createWriteStream(this.partial, { mode: 0o600 });
    this.gzip.pipe(this.file);
    this.done = once(this.file, 'close');
    this.done.catch(() => {});
  }

  async line(text: string): Promise<void> {
    const l = `${text}\n`;
    this.hash.update(l);
    if (!this.gzip.write(l)) await once(this.gzip, 'drain');
  }

  async finish(rows: Record<string, number>): Promise<void> {
    const trailer = JSON.stringify({ trailer: true, rows, sha256: this.hash.digest('hex') });
    this.gzip.end(`${trailer}\n`);
    await this.done;
    fs.renameSync(this.partial, this.path);
  }

  abort(): void {
    this.gzip.destroy();
    this.file.destroy();
    fs.rmSync(this.partial, { force: true });
  }
}

export type BackupItem =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'rows'; table: BackupTable; lines: string[] }
  | { kind: 'end'; rows: Record<string, number> };

async function* lines(path: string): AsyncGenerator<string> {
  const src = fs.createReadStream(path);
  const gunzip = zlib.createGunzip();
  src.on('error', (err) => gunzip.destroy(err));
  src.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      rest += decoder.write(chunk as Buffer);
      for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
        yield rest.slice(0, nl);
        rest = rest.slice(nl + 1);
      }
    }
  } catch (err) {
    throw new BackupFileError(`cannot read ${path}: ${(err as Error).message} (truncated or corrupted?)`);
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

function parse(line: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(line);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new BackupFileError(`not a TraceTrack backup: bad ${what}`);
}

/**
 * Reads a backup as header, row batches and end, checking everything on the way; the end item
 * comes only when the trailer's counts and checksum agree. `parseRows` also parses every row
 * (verify); restore leaves that to PostgreSQL.
 */
export async function* readBackup(path: string, opts: { batch?: number; parseRows?: boolean } = {}): AsyncGenerator<BackupItem> {
  const batch = opts.batch ?? 1000;
  const hash = createHash('sha256');
  const it = lines(path)[Symbol.asyncIterator]();
  const next = async (what: string): Promise<string> => {
    const r = await it.next();
    if (r.done) throw new BackupFileError(`backup ends early: ${what} missing (truncated file?)`);
    return r.value;
  };
  const first = await next('header');
  const header = parse(first, 'header') as unknown as BackupHeader;
  if (header.format !== BACKUP_FORMAT) throw new BackupFileError('not a TraceTrack backup (no header)');
  if (typeof header.version !== 'number' || header.version > BACKUP_VERSION) {
    throw new BackupFileError(`backup format version ${String(header.version)} is newer than this TraceTrack reads (${BACKUP_VERSION})`);
  }
  hash.update(`${first}\n`);
  yield { kind: 'header', header };
  const counted: Record<string, number> = {};
  for (const table of header.tables) {
    const sectionLine = await next(`table ${table.name}`);
    hash.update(`${sectionLine}\n`);
    const section = parse(sectionLine, `section of ${table.name}`);
    if (section.table !== table.name || section.rows !== table.rows)
      throw new BackupFileError(`section ${table.name} does not match the header`);
    let buf: string[] = [];
    for (let i = 0; i < table.rows; i++) {
      const line = await next(`row ${i + 1} of ${table.name}`);
      hash.update(`${line}\n`);
      if (opts.parseRows) parse(line, `row ${i + 1} of ${table.name}`);
      else if (!line.startsWith('{')) throw new BackupFileError(`bad row ${i + 1} of ${table.name}`);
      buf.push(line);
      if (buf.length >= batch) {
        yield { kind: 'rows', table, lines: buf };
        buf = [];
      }
    }
    if (buf.length > 0) yield { kind: 'rows', table, lines: buf };
    counted[table.name] = table.rows;
  }
  const trailer = parse(await next('trailer'), 'trailer');
  if (trailer.trailer !== true) throw new BackupFileError('bad trailer');
  if (trailer.sha256 !== hash.digest('hex')) throw new BackupFileError('checksum mismatch: the file was changed or damaged');
  const rows = trailer.rows as Record<string, number>;
  for (const [name, n] of Object.entries(counted)) {
    if (rows?.[name] !== n) throw new BackupFileError(`trailer count of ${name} differs from its section`);
  }
  if (!(await it.next()).done) throw new BackupFileError('data after the trailer');
  yield { kind: 'end', rows };
}

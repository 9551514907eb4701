/**
 * JSON calls to the scan API (SPEC §7), same-origin so the session cookie goes along, with the
 * page's CSRF token and this device's station id. A fetch that fails or times out throws
 * NetworkError (the scan stays queued and is retried with the same scanId); every HTTP answer,
 * error or not, is returned as it is.
 */
export interface Bag {
  code: string;
  type: 'parent' | 'child';
  kind: string | null;
  area: string | null;
  status: string;
  childCount: number;
  capacity: number | null;
  parentCode: string | null;
  billId: string | null;
  createdAt: string;
}

export interface ApiError {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: ApiError };
}

export class NetworkError extends Error {}

const TIMEOUT_MS = 10_000;
const STATION_KEY = 'tt-station-id';

export function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Older WebViews (and plain-http origins, where randomUUID is missing): a v4 UUID by hand.
  const bytes = new Uint8Array(16);
  if (typeof crypto !== 'undefined' && crypto.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A per-device id kept in localStorage, sent with every call so history names the station. */
export function stationId(): string {
  try {
    let id = localStorage.getItem(STATION_KEY);
    if (!id) {
      id = `st-${newId().slice(0, 8)}`;
      localStorage.setItem(STATION_KEY, id);
    }
    return id;
  } catch {
    return 'st-unknown';
  }
}

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

export async function post(path: string, body?: object): Promise<Answer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        accept: 'application/json',
        'x-csrf-token': csrfToken(),
        'x-station-id': stationId(),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: abort.signal,
    });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : 'network error');
  } finally {
    clearTimeout(timer);
  }
  let parsed: Answer['body'] = {};
  try {
    parsed = (await res.json()) as Answer['body'];
  } catch {
    // A success cut off mid-body is no answer at all: resend (same scanId). For an error, a
    // proxy's HTML page or an empty body, the status says enough.
    if (res.ok) throw new NetworkError('incomplete answer');
  }
  return { status: res.status, body: parsed ?? {} };
}

/** Answers worth retrying later with the same scanId (the server did not decide anything). */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

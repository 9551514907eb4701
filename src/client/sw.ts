/**
 * The scan stations' service worker (ADR 0014, scope widened in ADR 0025), served at
 * /scan-sw.js and registered with scope `/`: every page that scans — /scan, the bill station
 * (/bills/{id}/scan) and the return station (/returns/{code}/scan) — opens offline once it has
 * been opened before. It keeps exactly the station shells: those pages, their bundles and their
 * stylesheets, fetched network-first (a fresh copy whenever the server answers) and served from
 * the cache only when the network fails. It never caches an API answer or any other page, and
 * it forgets the cached pages (which carry the user's id and CSRF token) whenever someone logs
 * in or out — the scope `/` is what lets it see those navigations — so one user never gets
 * another's page. Queued scans live in IndexedDB (queue.ts), not here.
 */
interface FetchEventLike extends Event {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const sw = self as unknown as SwScope;
const CACHE = 'tt-station-shell-v1';
/** The station pages: kept per path (one copy per bill or ticket station), never with a query. */
const PAGES = [/^\/scan$/, /^\/bills\/[^/]+\/scan$/, /^\/returns\/[^/]+\/scan$/];
const ASSETS = [
  '/assets/app.css',
  '/assets/bills.css',
  '/assets/returns.css',
  '/assets/build/scan.js',
  '/assets/build/bills.js',
  '/assets/build/returns.js',
];
/** Fetched at install: the /scan station opens offline even if it was never reloaded. */
const SHELL = ['/scan', '/assets/build/scan.js', '/assets/app.css'];
const isPage = (path: string) => PAGES.some((re) => re.test(path));

sw.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) =>
        Promise.all(
          SHELL.map((url) =>
            fetch(url, { credentials: 'same-origin', redirect: 'manual' }).then((r) => (r.ok ? c.put(url, r) : undefined)),
          ),
        ),
      )
      .catch(() => undefined)
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tt-station-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

async function networkFirst(req: Request, key: string): Promise<Response> {
  try {
    const res = await fetch(req);
    // Only a real 200 of the shell is kept: never a redirect to /login or an error page.
    if (res.ok && !res.redirected && res.type === 'basic') {
      const copy = res.clone();
      void caches.open(CACHE).then((c) => c.put(key, copy));
    } else if (isPage(key) && (res.redirected || res.status === 401 || res.status === 403)) {
      void caches.delete(CACHE); // logged out: the old page belongs to nobody now
    }
    return res;
  } catch (err) {
    const hit = await caches.match(key, { cacheName: CACHE });
    if (hit) return hit;
    throw err;
  }
}

sw.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname === '/login' || url.pathname === '/logout') {
    void caches.delete(CACHE); // another user may be next
    return;
  }
  if (e.request.method !== 'GET' || url.pathname.startsWith('/api/')) return; // answers are never cached
  const shell = (isPage(url.pathname) && url.search === '') || ASSETS.includes(url.pathname);
  if (shell) e.respondWith(networkFirst(e.request, url.pathname));
});

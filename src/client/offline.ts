/**
 * Registers the stations' service worker (sw.ts; scope `/` since ADR 0025) from every page that
 * scans, and makes sure the page itself is in its cache, so that a reload without network shows
 * the station instead of the browser's error page.
 */
export function keepOffline(): void {
  if (!('serviceWorker' in navigator)) return;
  const workers = navigator.serviceWorker;
  const controlled = workers.controller !== null;
  // ADR 0014 registered the worker for /scan only; that registration would keep /scan to itself.
  workers
    .getRegistrations()
    .then((all) => {
      for (const r of all) if (new URL(r.scope).pathname === '/scan') void r.unregister();
    })
    .catch(() => undefined);
  workers
    .register('/scan-sw.js', { scope: '/' })
    .then(() => {
      if (controlled) return;
      // First visit: this page, its bundle and its styles came from the network before the
      // worker ran. Fetched once more through the worker, they are cached for the next reload
      // (the worker keeps the station shells only, whatever else is asked).
      const again = () => {
        const shell = [
          location.pathname,
          ...Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'), (s) => s.src),
          ...Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]'), (l) => l.href),
        ];
        for (const url of shell) void fetch(url, { credentials: 'same-origin' }).catch(() => undefined);
      };
      if (workers.controller) again();
      else workers.addEventListener('controllerchange', again, { once: true });
    })
    .catch(() => undefined);
}

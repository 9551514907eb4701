/** GET /scan: the scan station (parent, then its children); its logic runs in the browser. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../../app.js';
import { PUBLIC_DIR } from '../plugins/assets.js';
import { listAreas } from '../../domain/areas/areas.service.js';
// Reference data only (a handful of rows); no domain use case lists kinds yet.
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { frameOf } from './frame.js';
import { scanView } from './views/scan.view.js';

export default async function scanPages(app: App) {
  app.get('/scan', {
    config: { access: 'scans.write' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const user = req.user!;
      // Dispatchers scan in their own area only: no picker, so no list to send.
      const [areas, kinds] = await Promise.all([user.role === 'dispatcher' ? [] : listAreas(app.ctx), listBagKinds(app.ctx.db)]);
      const parentKinds = kinds.filter((k) => k.active && k.type === 'parent');
      return reply.page(scanView(frameOf(req, reply, 'Scan', { scripts: ['scan.js'] }), user, areas, parentKinds));
    },
  });

  // The station's service worker (src/client/sw.ts, ADR 0014). Served from the root so that it
  // may control /scan; only signed-in scanners need it.
  app.get('/scan-sw.js', {
    config: { access: 'scans.write' },
    schema: { hide: true },
    handler: async (_req, reply) => {
      const body = await fs.readFile(path.join(PUBLIC_DIR, 'build/sw.js'), 'utf8');
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);
    },
  });
}

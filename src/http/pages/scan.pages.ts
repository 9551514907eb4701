/** GET /scan: the scan station (parent, then its children); its logic runs in the browser. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../../app.js';
import { PUBLIC_DIR } from '../plugins/assets.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import { listKinds } from '../../domain/kinds/kinds.service.js';
import { frameOf } from './frame.js';
import QRCode from 'qrcode';
import { scanView } from './views/scan.view.js';
import { scanCommandsView } from './views/scan-commands.view.js';

/** The command barcodes and what each does (the station's buttons, src/client/command-codes.ts). */
const COMMANDS = [
  ['FINISH', 'Finish the parent in hand (asks first when it is short)'],
  ['UNDO', 'Undo the last scan'],
  ['PUT ASIDE', 'Put the parent in hand aside, to resume later'],
  ['CONFIRM', 'Answer yes to the question on screen'],
  ['CANCEL', 'Answer no to the question on screen'],
] as const;

export default async function scanPages(app: App) {
  app.get('/scan', {
    config: { access: 'scans.write' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const user = req.user!;
      // Dispatchers scan in their own area only: no picker, so no list to send.
      const [areas, kinds] = await Promise.all([user.role === 'dispatcher' ? [] : listAreas(app.ctx), listKinds(app.ctx)]);
      const parentKinds = kinds.filter((k) => k.active && k.type === 'parent');
      return reply.page(scanView(frameOf(req, reply, 'Scan', { scripts: ['scan.js'] }), user, areas, parentKinds));
    },
  });

  // The printable A4 sheet of command barcodes, linked from the station.
  app.get('/scan/commands', {
    config: { access: 'scans.write' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const cards = await Promise.all(
        COMMANDS.map(async ([word, does]) => ({
          word,
          does,
          image: await QRCode.toDataURL(word, { errorCorrectionLevel: 'M', margin: 2, width: 400 }),
        })),
      );
      return reply.page(
        scanCommandsView(frameOf(req, reply, 'Station commands', { styles: ['commands.css'], scripts: ['bills.js'] }), cards),
      );
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

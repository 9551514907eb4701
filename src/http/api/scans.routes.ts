/** Scan station API: POST /api/scans/parent · /api/scans/child · /api/scans/undo (SPEC §3). */
import type { App } from '../../app.js';
import { scanChild } from '../../domain/scans/child-scan.service.js';
import { scanParent } from '../../domain/scans/parent-scan.service.js';
import { undoLink } from '../../domain/scans/undo.service.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';
import {
  presentBag,
  ScanChildBody,
  ScanChildReply,
  ScanParentBody,
  ScanParentReply,
  UndoBody,
  UndoReply,
} from '../schemas/bags.schemas.js';

export default async function scanRoutes(app: App) {
  app.post('/api/scans/parent', {
    config: { access: 'scans.write' },
    schema: { tags: ['scans'], body: ScanParentBody, response: { 200: ScanParentReply, ...errorResponses } },
    handler: async (req) => {
      const r = await scanParent(app.ctx, requireActor(req), req.body);
      return { outcome: r.outcome, bag: presentBag(r.bag) };
    },
  });

  app.post('/api/scans/child', {
    config: { access: 'scans.write' },
    schema: { tags: ['scans'], body: ScanChildBody, response: { 200: ScanChildReply, ...errorResponses } },
    handler: async (req) => {
      const r = await scanChild(app.ctx, requireActor(req), req.body);
      return { outcome: r.outcome, child: presentBag(r.child), parent: presentBag(r.parent) };
    },
  });

  // Everyone may undo their own last link; naming a child needs scans.unlink (checked in the use case).
  app.post('/api/scans/undo', {
    config: { access: 'scans.write' },
    schema: { tags: ['scans'], body: UndoBody, response: { 200: UndoReply, ...errorResponses } },
    handler: async (req) => {
      const r = await undoLink(app.ctx, requireActor(req), req.body);
      return { removed: presentBag(r.removed), parent: presentBag(r.parent) };
    },
  });
}

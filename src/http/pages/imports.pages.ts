/** GET /imports: the import page (admins), over the same use cases as /api/imports. */
import type { App } from '../../app.js';
import { pastImports } from '../../domain/imports/imports.service.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { importsView } from './views/imports.view.js';

export default async function importPages(app: App) {
  app.get('/imports', {
    config: { access: 'imports.manage' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const past = await pastImports(app.ctx, requireActor(req), undefined, 20);
      return reply.page(importsView(frameOf(req, reply, 'Import', { scripts: ['imports.js'] }), past, app.config.displayTimezone));
    },
  });
}

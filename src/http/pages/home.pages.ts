/** GET / : the start page after login (the live dashboard replaces its body later). */
import type { App } from '../../app.js';
import { html } from '../../lib/html.js';
import { layout, navFor } from './views/layout.view.js';
import { frameOf } from './frame.js';

export default async function homePages(app: App) {
  app.get('/', {
    config: { access: 'dashboard.read' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const user = req.user!;
      const links = navFor(user).filter((n) => n.href !== '/');
      return reply.page(
        layout(
          frameOf(req, reply, 'Dashboard'),
          html`<section class="card"><h1>Welcome, ${user.username}</h1>
<p>You are signed in as <strong>${user.role}</strong>${user.areaId ? html` for <strong>${user.areaId}</strong>` : ''}.</p>
${links.length ? html`<ul class="quick">${links.map((l) => html`<li><a class="button" href="${l.href}">${l.label}</a></li>`)}</ul>` : ''}
</section>`,
        ),
      );
    },
  });
}

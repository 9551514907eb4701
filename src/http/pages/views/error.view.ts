/** A friendly error page for browsers (JSON clients get the JSON error instead). */
import type { FastifyRequest } from 'fastify';
import { html } from '../../../lib/html.js';
import { layout } from './layout.view.js';

const TITLES: Record<number, string> = {
  400: 'That did not look right',
  403: 'Not allowed',
  404: 'Not found',
  409: 'That clashes with the current state',
  413: 'Too large',
  429: 'Slow down',
  500: 'Something went wrong',
};

export function errorPage(req: FastifyRequest, status: number, message: string) {
  const title = TITLES[status] ?? (status >= 500 ? TITLES[500]! : 'Request refused');
  const detail = status >= 500 ? `Please try again. If it keeps happening, give the admin this reference: ${req.id}` : message;
  return layout(
    { title, user: req.user, csrfToken: '', path: req.url },
    html`<section class="card error-page"><h1>${title}</h1><p>${detail}</p><p><a href="/">Back to the start</a></p></section>`,
  );
}

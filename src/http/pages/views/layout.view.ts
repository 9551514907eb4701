/** The one layout of every page: header with user, role and search; role-aware navigation. */
import { html, type Html } from '../../../lib/html.js';
import { can, type Permission } from '../../../domain/permissions.js';
import type { User } from '../../../domain/users/user.js';

export interface PageFrame {
  title: string;
  user: User | null;
  csrfToken: string;
  /** Path of the current page, to mark the active nav entry. */
  path: string;
  flash?: { kind: 'ok' | 'error'; text: string } | undefined;
  /** Extra client bundles under /assets/build. */
  scripts?: string[];
  /** Extra stylesheets under /assets (after app.css), e.g. the bill pages' print sheet. */
  styles?: string[];
}

const NAV: Array<{ href: string; label: string; permission: Permission }> = [
  { href: '/', label: 'Dashboard', permission: 'dashboard.read' },
  { href: '/scan', label: 'Scan', permission: 'scans.write' },
  { href: '/bags', label: 'Bags', permission: 'bags.read' },
  { href: '/bills', label: 'Bills', permission: 'bills.read' },
  { href: '/returns', label: 'Returns', permission: 'returns.read' },
  { href: '/reports', label: 'Reports', permission: 'reports.read' },
  { href: '/admin/users', label: 'Users', permission: 'users.manage' },
  { href: '/admin/areas', label: 'Areas', permission: 'areas.manage' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings.manage' },
  { href: '/admin/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/imports', label: 'Import', permission: 'imports.manage' },
  { href: '/profile', label: 'Profile', permission: 'session.use' },
];

export function navFor(user: User): typeof NAV {
  return NAV.filter((n) => can(user, n.permission));
}

export function layout(frame: PageFrame, body: Html): Html {
  const { user } = frame;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${frame.csrfToken}">
<title>${frame.title} · TraceTrack</title>
<link rel="stylesheet" href="/assets/app.css">
${(frame.styles ?? []).map((s) => html`<link rel="stylesheet" href="/assets/${s}">`)}
${(frame.scripts ?? []).map((s) => html`<script src="/assets/build/${s}" defer></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/">TraceTrack</a>
  ${
    user
      ? html`<form class="search" action="/search" method="get" role="search">
        <input name="q" type="search" placeholder="Bag code or bill id" aria-label="Search bags and bills" maxlength="255">
      </form>
      <div class="who"><span class="name">${user.username}</span> <span class="role role-${user.role}">${user.role}</span>${user.areaId ? html` <span class="area">${user.areaId}</span>` : ''}
        ${
          frame.csrfToken
            ? html`<form action="/logout" method="post" class="inline"><input type="hidden" name="_csrf" value="${frame.csrfToken}"><button class="link">Log out</button></form>`
            : ''
        }
      </div>`
      : ''
  }
</header>
${
  user
    ? html`<nav class="main">${navFor(user).map(
        (n) => html`<a href="${n.href}"${n.href === frame.path ? html` aria-current="page"` : ''}>${n.label}</a>`,
      )}</nav>`
    : ''
}
<main>
${frame.flash ? html`<p class="flash flash-${frame.flash.kind}" role="status">${frame.flash.text}</p>` : ''}
${body}
</main>
</body>
</html>`;
}

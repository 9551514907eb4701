/**
 * Session → request.actor, and the access guard every route declares in `config.access`
 * ('public' or a permission of domain/permissions.ts). A route without a declaration cannot
 * be registered at all, so nothing becomes public by omission.
 */
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { authenticate } from '../../domain/auth/auth.service.js';
import { DomainError } from '../../domain/errors.js';
import { can, PERMISSIONS, type Permission } from '../../domain/permissions.js';
import type { User } from '../../domain/users/user.js';

/**
 * 'public': anyone; a permission: a logged-in user whose role has it; 'metrics': an admin
 * session or the METRICS_TOKEN bearer token (a Prometheus scraper has no session).
 */
export type Access = 'public' | 'metrics' | Permission;
export const SESSION_COOKIE = 'tt_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every registered route with its declared access (the permission-matrix test reads it). */
    routeAccess(): Array<{ method: string; url: string; access: Access | undefined }>;
  }
  interface FastifyRequest {
    actor: Actor | null;
    user: User | null;
    sessionId: string | null;
    /** True when the request carried a session cookie at all (even a dead one): CSRF applies. */
    hasSessionCookie: boolean;
  }
}

export class UndeclaredAccessError extends Error {}

function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7)).digest();
  return timingSafeEqual(given, createHash('sha256').update(token).digest());
}

export function actorOf(user: User, req: FastifyRequest): Actor {
  const station = req.headers['x-station-id'];
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    areaId: user.areaId,
    ip: req.ip,
    requestId: req.id,
    station: typeof station === 'string' ? station.slice(0, 64) : undefined,
  };
}

/** Why the route's declared access refuses this request, or undefined when it may go on. */
function refusal(req: FastifyRequest, metricsToken: string | undefined): DomainError | undefined {
  const access = req.routeOptions.config.access;
  if (access === undefined || access === 'public') return undefined;
  if (access === 'metrics' && bearerMatches(req.headers.authorization, metricsToken)) return undefined;
  if (!req.actor) return new DomainError('not_authenticated', 'Please log in');
  if (!can(req.actor, access === 'metrics' ? 'stats.read' : access)) return new DomainError('forbidden', 'Your role may not do this');
  return undefined;
}

/** The acting user of a guarded route (the guard has already refused anonymous requests). */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new DomainError('not_authenticated', 'Please log in');
  return req.actor;
}

export default fp(async (app) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('hasSessionCookie', false);

  // Checked once all plugins have added their routes (a plugin's own onRoute hook may set it).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  app.decorate('routeAccess', () =>
    routes.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, url: r.url, access: r.config?.access })),
    ),
  );
  app.addHook('onReady', async () => {
    for (const route of routes) {
      const access = route.config?.access;
      if (access === undefined || (access !== 'public' && access !== 'metrics' && !(access in PERMISSIONS))) {
        const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
        throw new UndeclaredAccessError(`Route ${methods} ${route.url} must declare config.access`);
      }
    }
  });

  // Callback style: a request without a session cookie passes through without a promise.
  app.addHook('onRequest', (req, reply, done) => {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return done(refusal(req, app.config.metricsToken));
    req.hasSessionCookie = true;
    const unsigned = req.unsignCookie(raw);
    if (unsigned.valid && unsigned.value) return void withSession(req, reply, unsigned.value).then(done, done);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    done(refusal(req, app.config.metricsToken));
  });

  /** The request's user from its session (a dead session's cookie is cleared), then the access check. */
  async function withSession(req: FastifyRequest, reply: FastifyReply, token: string): Promise<DomainError | undefined> {
    const auth = await authenticate(app.ctx, token);
    if (auth) {
      req.user = auth.user;
      req.sessionId = auth.sessionId;
      req.actor = actorOf(auth.user, req);
    } else {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return refusal(req, app.config.metricsToken);
  }
});

/** Sessions in the database (the default store). Expired rows are removed lazily on find. */
import type { SessionRecord, SessionStore } from '../domain/auth/session-store.js';
import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import type { SessionsTable, UsersTable } from './tables.js';
import { toUser } from './users.repository.js';
import { statement } from './prepared.js';

type SessionUserRow = Selectable<UsersTable> & {
  session_id: string;
  session_created_at: Date;
  last_seen_at: Date;
  ip: string | null;
  user_agent: string | null;
};
const findSessionSql = statement<SessionUserRow>(
  'find_session',
  `select u.*, s.id as session_id, s.created_at as session_created_at, s.last_seen_at, s.ip, s.user_agent
   from sessions s inner join users u on u.id = s.user_id where s.id = $1`,
);

const toRecord = (r: Selectable<SessionsTable>): SessionRecord => ({
  id: r.id,
  userId: String(r.user_id),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  ip: r.ip,
  userAgent: r.user_agent,
});

export function databaseSessionStore(db: Db): SessionStore {
  return {
    async create(rec) {
      await db
        .insertInto('sessions')
        .values({
          id: rec.id,
          user_id: rec.userId,
          created_at: rec.createdAt,
          last_seen_at: rec.lastSeenAt,
          ip: rec.ip,
          user_agent: rec.userAgent,
        })
        .execute();
    },
    async find(id) {
      // Session and user in one prepared statement: this runs on every request.
      const [r] = await findSessionSql(db, [id]);
      if (!r) return undefined;
      const { session_id, session_created_at, last_seen_at, ip, user_agent, ...user } = r;
      return {
        id: session_id,
        userId: String(user.id),
        createdAt: session_created_at,
        lastSeenAt: last_seen_at,
        ip,
        userAgent: user_agent,
        user: toUser(user),
      };
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('last_seen_at', 'desc')
        .limit(100)
        .execute();
      return rows.map(toRecord);
    },
    async touch(id, at) {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
    async revoke(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async revokeUser(userId, exceptId) {
      let q = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptId) q = q.where('id', '<>', exceptId);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Removes up to `limit` sessions idle or older than the limits; returns how many (housekeeping calls it in batches). */
export async function deleteExpiredSessions(db: Db, idleBefore: Date, createdBefore: Date, limit: number): Promise<number> {
  const expired = db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .limit(limit);
  const r = await db.deleteFrom('sessions').where('id', 'in', expired).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * The floor under a scan's Node CPU (issue 14): the same fastify and pg, a JSON body checked by a
 * schema, two named prepared statements (one round trip each, as a scan's read and write), a JSON
 * answer — and nothing of ours: no sessions, cookies, CSRF, headers, metrics or rules. The gap
 * between this and the app is what the app's own work costs. Run by bench/ceiling.ts (--only floor).
 *   DATABASE_URL=… node --import tsx bench/floor/server.ts --port 5077 --workers 2 --pool 4
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';

const { values: a } = parseArgs({
  options: { port: { type: 'string' }, workers: { type: 'string', default: '1' }, pool: { type: 'string', default: '8' } },
});
if (cluster.isPrimary && Number(a.workers) > 1) {
  for (let i = 0; i < Number(a.workers); i++) cluster.fork();
} else {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(a.pool) });
  const app = Fastify({ logger: false });
  const body = {
    type: 'object',
    required: ['parentCode', 'code'],
    properties: { parentCode: { type: 'string', maxLength: 255 }, code: { type: 'string', maxLength: 255 }, scanId: { type: 'string' } },
  } as const;
  app.post<{ Body: { parentCode: string; code: string } }>('/floor', { schema: { body } }, async (req) => {
    const read = await pool.query({
      name: 'floor_read',
      text: 'select $1::text as parent, $2::text as child',
      values: [req.body.parentCode, req.body.code],
    });
    const write = await pool.query({
      name: 'floor_write',
      text: `select 'done' as result, $1::text as code`,
      values: [read.rows[0].child],
    });
    return { outcome: 'linked', child: { code: write.rows[0].code }, parent: { code: read.rows[0].parent } };
  });
  await app.listen({ port: Number(a.port), host: '127.0.0.1' });
  console.log('floor listening');
}

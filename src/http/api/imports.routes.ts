/**
 * POST /api/imports (admin, multipart: kind, dryRun, then file) · GET /api/imports ·
 * GET /api/imports/{importId} (progress) · GET /api/imports/{importId}/report.csv|.xlsx
 */
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { IMPORT_KINDS, type ImportKind } from '../../domain/imports/import.js';
import { getImport, importReport, pastImports, runImport, type ImportAnswer } from '../../domain/imports/imports.service.js';
import { BadSheet, formatOf, readSheet, type SheetFormat } from '../../lib/spreadsheet.js';
import type { ImportRecord } from '../../storage/imports.repository.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';
import {
  ImportAnswerSchema,
  ImportListQuery,
  ImportListReply,
  ImportParams,
  ImportQuery,
  ImportSchema,
} from '../schemas/imports.schemas.js';
import { sendSheet } from '../sheet-reply.js';
import { FileReply } from './exports.routes.js';
import { Type } from 'typebox';

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export const presentImport = (r: ImportRecord) => ({
  importId: r.id,
  kind: r.kind,
  fileName: r.fileName,
  actor: r.actorName,
  dryRun: r.dryRun,
  status: r.status,
  rows: r.rows,
  created: r.created,
  linked: r.linked,
  skipped: r.skipped,
  failed: r.failed,
  errors: r.errors,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

function parseDryRun(v: string | undefined): boolean {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '' || s === 'false' || s === '0' || s === 'off') return false;
  if (s === 'true' || s === '1' || s === 'on') return true;
  throw new DomainError('validation_failed', 'dryRun must be true or false');
}

function parseKind(v: string | undefined): ImportKind {
  if (v && (IMPORT_KINDS as readonly string[]).includes(v)) return v as ImportKind;
  throw new DomainError('validation_failed', `kind must be one of ${IMPORT_KINDS.join(', ')} (send it before the file)`);
}

/**
 * The request's parts; a body the multipart parser cannot read (no or an over-long boundary,
 * a part cut short) is the client's mistake, answered 400, not a 500.
 */
async function* partsOf(req: FastifyRequest) {
  let parts: AsyncIterator<Multipart>;
  try {
    parts = req.parts()[Symbol.asyncIterator]();
  } catch (err) {
    throw malformedUpload(err);
  }
  for (;;) {
    let next: IteratorResult<Multipart>;
    try {
      next = await parts.next();
    } catch (err) {
      throw malformedUpload(err);
    }
    if (next.done) return;
    yield next.value;
  }
}

function malformedUpload(err: unknown): unknown {
  const status = (err as { statusCode?: unknown }).statusCode;
  if (isDomainError(err) || (typeof status === 'number' && status < 500)) return err;
  return new DomainError('validation_failed', `The upload is not well-formed multipart/form-data: ${(err as Error).message}`.slice(0, 200));
}

/** Reads the parts in order: fields first, then the one file, imported as it streams in. */
async function importFromParts(
  app: App,
  req: FastifyRequest,
  query: { kind?: string | undefined; dryRun?: string | undefined },
): Promise<ImportAnswer> {
  if (!req.isMultipart()) throw new DomainError('validation_failed', 'Send multipart/form-data with kind, dryRun and file');
  const actor = requireActor(req);
  const fields: Record<string, string> = {};
  let answer: ImportAnswer | undefined;
  for await (const part of partsOf(req)) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value).slice(0, 100);
      continue;
    }
    if (part.fieldname !== 'file' || answer) {
      part.file.resume();
      continue;
    }
    const kind = parseKind(fields.kind ?? query.kind);
    const dryRun = parseDryRun(fields.dryRun ?? query.dryRun);
    const fileName = (part.filename || 'upload').slice(0, 255);
    const format: SheetFormat | undefined =
      formatOf(fileName) ?? (/sheet/.test(part.mimetype) ? 'xlsx' : /csv|text\/plain/.test(part.mimetype) ? 'csv' : undefined);
    if (!format) {
      part.file.resume();
      throw new DomainError('validation_failed', 'The file must be a .csv or .xlsx spreadsheet');
    }
    answer = await runImport(app.ctx, actor, { kind, fileName, dryRun, rows: readSheet(part.file, format) }, (e) => e instanceof BadSheet);
    if (part.file.truncated)
      throw new DomainError('validation_failed', 'The file is larger than 100 MB: only its first part was imported', {
        importId: answer.importId,
      });
  }
  if (!answer) throw new DomainError('validation_failed', 'No file part named "file"');
  return answer;
}

export default async function importRoutes(app: App) {
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 12, fieldSize: 1000 } });

  app.post('/api/imports', {
    config: { access: 'imports.manage' },
    schema: {
      tags: ['imports'],
      consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      response: { 200: ImportAnswerSchema, ...errorResponses },
    },
    handler: (req) => importFromParts(app, req, req.query),
  });

  app.get('/api/imports', {
    config: { access: 'imports.manage' },
    schema: { tags: ['imports'], querystring: ImportListQuery, response: { 200: ImportListReply, ...errorResponses } },
    handler: async (req) => {
      const limit = req.query.limit ?? 20;
      const items = await pastImports(app.ctx, requireActor(req), req.query.cursor, limit);
      return { items: items.map(presentImport), nextCursor: items.length === limit ? items[items.length - 1]!.id : null };
    },
  });

  app.get('/api/imports/:importId', {
    config: { access: 'imports.manage' },
    schema: { tags: ['imports'], params: ImportParams, response: { 200: Type.Object({ import: ImportSchema }), ...errorResponses } },
    handler: async (req) => ({ import: presentImport(await getImport(app.ctx, requireActor(req), req.params.importId)) }),
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/api/imports/:importId/report.${format}`, {
      config: { access: 'imports.manage' },
      schema: { tags: ['imports'], params: ImportParams, response: FileReply },
      handler: async (req, reply) => {
        const { params } = req as FastifyRequest<{ Params: { importId: string } }>;
        const rec = await getImport(app.ctx, requireActor(req), params.importId);
        const rows = importReport(app.ctx, rec.id);
        return sendSheet(
          reply,
          format,
          `tracetrack-import-${rec.id}-report.${format}`,
          ['row', 'outcome', 'code', 'error_code', 'message'],
          rows,
        );
      },
    });
  }
}

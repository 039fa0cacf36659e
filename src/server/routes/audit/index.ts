import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { exportAuditEvents, listAuditEvents } from '../../../domain/audit/list-audit-events.js';
import { verifyAuditLog } from '../../../domain/audit/verify-audit-chain.js';
import type { Services } from '../../../domain/context.js';
import { AuditExportQuerySchema, AuditListSchema, AuditQuerySchema, AuditVerificationSchema } from '../../../shared/api/audit.js';
import { problemResponses } from '../../../shared/api/common.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/audit` (docs/product/console.md#audit-log, docs/product/audit-log.md#verification): read, export and verify
 * the audit log. Nothing here changes it.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['audit'];
  app.get(
    '/',
    {
      schema: {
        operationId: 'listAuditEvents',
        tags,
        summary: 'Audit events, newest first',
        description:
          'Needs `organization.audit_logs.view`. Filters `actor`, `action`, `target`, `outcome`, `since`, `until`; newest first, in keyset pages (`limit` 1–500, default 50). Nothing in the API changes or deletes events.',
        querystring: AuditQuerySchema,
        response: { 200: AuditListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listAuditEvents(requestContext(request, services), request.query),
  );
  app.get(
    '/export',
    {
      schema: {
        operationId: 'exportAuditEvents',
        tags,
        summary: 'Export the filtered events as JSON Lines or CSV (streamed)',
        description:
          'Needs `organization.audit_logs.view`. The filters of `GET /audit`, streamed as a download in `format=jsonl` (default) or `csv`; CSV cells that a spreadsheet would run as formulas are neutralised.',
        querystring: AuditExportQuerySchema,
        produces: ['application/x-ndjson', 'text/csv'],
        response: {
          200: Type.String({
            description: 'JSON Lines or CSV, streamed',
            examples: [
              '{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","seq":1,"at":"2026-12-01T09:30:00.000Z","actor":{"type":"user","id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","name":"ada"},"via":"session","action":"user.login","target":null,"outcome":"success","ip":"127.0.0.1","userAgent":null,"requestId":null,"details":{},"hash":"5d41402abc4b2a76"}\n',
              'at,seq,id,actor_type,actor_id,actor_name,via,action,target_type,target_id,target_name,outcome,ip,user_agent,request_id,details,hash\n',
            ],
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { format = 'jsonl', ...query } = request.query;
      const stream = exportAuditEvents(requestContext(request, services), query, format);
      const stamp = services.now().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="roster-audit-${stamp}.${format}"`);
      reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      // A stream is sent as is; the schema above documents its content for the OpenAPI document.
      return reply.send(stream as unknown as string);
    },
  );
  app.post(
    '/verify',
    {
      schema: {
        operationId: 'verifyAuditChain',
        tags,
        summary: 'Recompute the hash chain and report the first broken event',
        description:
          'Needs `organization.audit_logs.view`. Recomputes the hash chain over every event and answers `{ valid, checked, brokenAt, head }`, where `brokenAt` is the first event that does not match.',
        response: { 200: AuditVerificationSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      return verifyAuditLog(requestContext(request, services));
    },
  );
};

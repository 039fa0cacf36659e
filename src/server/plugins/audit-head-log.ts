import type { FastifyInstance } from 'fastify';
import { createAuditHeadReporter } from '../../domain/audit/create-audit-head-reporter.js';
import type { Services } from '../../domain/context.js';

/** How often the server looks at the chain head (one indexed read of one row). */
const lookEveryMs = 5_000;

/**
 * The audit chain head in the server log at every log level (docs/product/audit-log.md#hash-chain). The lines go
 * through a child logger with its own level, `info`, so `ROSTER_LOG_LEVEL=warn` or `error` keeps them: they are written
 * as level 30 with `"msg":"audit chain head"` and `auditHead: { seq, hash }`. Only `silent` (no log at all) turns them
 * off.
 */
export function auditHeadLogger(app: FastifyInstance, services: Services) {
  const log = app.log.child({ component: 'audit' }, { level: 'info' });
  const reporter = createAuditHeadReporter(services, ({ seq, hash, reason }) => {
    // A head that went back is news for whoever watches the log: a restore, or someone cutting the audit log.
    if (reason === 'went_back') log.warn({ auditHead: { seq, hash }, reason }, 'audit chain head');
    else log.info({ auditHead: { seq, hash }, reason }, 'audit chain head');
  });
  return {
    report: (occasion: 'start' | 'shutdown' | 'tick') =>
      reporter.report(occasion).catch((error: unknown) => {
        // A database outage is reported by requests and /readyz; here a short note is enough, and the next look retries.
        const code = (error as { code?: unknown } | null)?.code;
        app.log.warn({ code: typeof code === 'string' ? code : undefined }, 'could not read the audit chain head');
      }),
  };
}

/** Logs the head at start, every 1,000 events and every hour (looking every 5 s), and at shutdown. */
export function installAuditHeadLog(app: FastifyInstance, services: Services): void {
  if (services.config.logLevel === 'silent') return;
  const logger = auditHeadLogger(app, services);
  let timer: NodeJS.Timeout | undefined;
  // One look at a time: a slow database must not make two looks write the same lines.
  let looking: Promise<void> | undefined;
  const look = () => {
    looking ??= logger.report('tick').finally(() => {
      looking = undefined;
    });
  };
  app.addHook('onReady', async () => {
    await logger.report('start');
    timer = setInterval(look, lookEveryMs).unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await looking;
    await logger.report('shutdown');
  });
}

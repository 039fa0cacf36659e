// The "no stall" scenario of docs/product/security-settings.md#bounded-work / docs/product/speed-targets.md#targets:
// People searches that no index can answer in full (one or two characters, `%`, `_`, empty, and a few substring terms),
// People exports of the whole directory and logins all run at once, while `/healthz` and `POST /authorize` are sampled
// at a fixed rate. Each sampler is its own open-loop process (bench/open-loop.ts), so a stall in the server shows as
// latency of every sample due during it.
import http from 'node:http';
import type { OpenLoopRequest, OpenLoopResult } from '../open-loop.js';
import { runOpenLoop } from './processes.js';

export interface NoStallPlan {
  origin: string;
  ownerToken: string;
  memberToken: string;
  projectId: string;
  /** Logins spread over accounts and addresses, so that login throttling sees no burst. */
  logins: OpenLoopRequest[];
  /** Measured seconds (after a warm-up of `warmupSeconds` that is not counted). */
  seconds: number;
  warmupSeconds: number;
  /** Exports kept running back to back. */
  exportStreams: number;
  searchRate: number;
  loginRate: number;
  sampleRate: number;
}

export interface NoStallResult {
  healthz: OpenLoopResult;
  authorize: OpenLoopResult;
  searches: OpenLoopResult;
  logins: OpenLoopResult;
  exports: { completed: number; cut: number; failed: number; megabytes: number };
}

/**
 * Search terms no index range answers in full: short terms (prefix matches only,
 * docs/product/security-settings.md#bounded-work, but still a walk of the email range when it must skip people listed
 * already), LIKE wildcards, the empty term with filters, large pages, and substrings common enough that the trigram
 * index cannot narrow them down.
 */
export const noStallSearches = [
  'query=a',
  'query=qx',
  'query=%25',
  'query=_',
  'query=%25_',
  'query=',
  'query=e&limit=500',
  'query=jo&role=admin',
  'query=.&status=removed',
  'query=zz',
  'query=m&role=owner',
  'query=son',
  'query=exa&limit=500',
  'query=an.',
  'limit=500',
];

/** Keeps `streams` exports of every person running back to back until the deadline, reading and dropping the CSV. */
async function runExports(origin: string, token: string, streams: number, seconds: number): Promise<NoStallResult['exports']> {
  const deadline = Date.now() + seconds * 1000;
  const result = { completed: 0, cut: 0, failed: 0, megabytes: 0 };
  const exportOnce = () =>
    new Promise<void>((resolve) => {
      const request = http.get(`${origin}/api/v1/people/export`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        if (response.statusCode !== 200) result.failed++;
        response.on('data', (chunk: Buffer) => {
          result.megabytes += chunk.length / 1_048_576;
        });
        response.on('end', () => {
          if (response.statusCode === 200) result.completed++;
          resolve();
        });
        response.on('error', () => resolve());
        response.on('aborted', () => resolve());
      });
      const timer = setTimeout(() => {
        result.cut++;
        request.destroy();
        resolve();
      }, deadline - Date.now());
      request.on('close', () => clearTimeout(timer));
      request.on('error', () => resolve());
    });
  await Promise.all(
    Array.from({ length: streams }, async () => {
      while (Date.now() < deadline - 100) await exportOnce();
    }),
  );
  return result;
}

export async function runNoStall(plan: NoStallPlan): Promise<NoStallResult> {
  const owner = { authorization: `Bearer ${plan.ownerToken}` };
  const member = { authorization: `Bearer ${plan.memberToken}` };
  const total = plan.warmupSeconds + plan.seconds;
  const search: OpenLoopRequest[] = noStallSearches.map((query) => ({ method: 'GET', path: `/api/v1/people?${query}`, headers: owner }));
  const authorize = JSON.stringify({ permission: 'project.view', projectId: plan.projectId });
  const sampled = { rate: plan.sampleRate, seconds: plan.seconds, warmupSeconds: plan.warmupSeconds, timeoutMs: 30_000 };
  const [healthz, authorizeResult, searches, logins, exports] = await Promise.all([
    runOpenLoop({ origin: plan.origin, requests: [{ method: 'GET', path: '/healthz' }], ...sampled }),
    runOpenLoop({
      origin: plan.origin,
      requests: [{ method: 'POST', path: '/api/v1/authorize', headers: member, body: authorize }],
      ...sampled,
    }),
    runOpenLoop({ origin: plan.origin, requests: search, rate: plan.searchRate, seconds: total, warmupSeconds: 0, timeoutMs: 30_000 }),
    runOpenLoop({
      origin: plan.origin,
      requests: plan.logins,
      rate: plan.loginRate,
      seconds: total,
      warmupSeconds: 0,
      timeoutMs: 30_000,
    }),
    runExports(plan.origin, plan.ownerToken, plan.exportStreams, total),
  ]);
  return { healthz, authorize: authorizeResult, searches, logins, exports };
}

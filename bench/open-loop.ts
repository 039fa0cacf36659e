// A fixed-rate ("open-loop") load generator, run as its own process by bench/run.ts. Requests are sent on a fixed
// schedule whatever the server does, and each latency is measured from the request's INTENDED send time, so a stall
// in the server shows up in the percentiles instead of silently slowing the generator down (coordinated omission).
//
// Input: one JSON argument (OpenLoopPlan). Output: one JSON line (OpenLoopResult) on stdout.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopPlan {
  origin: string;
  /** Cycled through in order. */
  requests: OpenLoopRequest[];
  rate: number;
  seconds: number;
  /** Sent but not counted, to warm caches and connections. */
  warmupSeconds: number;
  timeoutMs?: number;
}

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  sent: number;
  completed: number;
  errors: number;
  statuses: Record<string, number>;
  /** Milliseconds from intended send time to the end of the response. */
  latency: { p50: number; p90: number; p99: number; p999: number; max: number };
  /** How late the generator itself sent requests (p99, ms): large values mean the generator, not the server, lagged. */
  sendLagP99: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  const url = new URL(plan.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(plan.rate * (plan.warmupSeconds + plan.seconds));
  const warmup = Math.round(plan.rate * plan.warmupSeconds);
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  const answered = new Uint8Array(total);
  const statuses: Record<string, number> = {};
  let sent = 0;
  let completed = 0;
  let counted = 0;
  let errors = 0;
  const start = performance.now() + 50;

  const send = (index: number) => {
    const intended = start + (index * 1000) / plan.rate;
    const spec = plan.requests[index % plan.requests.length] as OpenLoopRequest;
    lags[index] = performance.now() - intended;
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: spec.method,
        path: spec.path,
        agent,
        headers: { ...(spec.body ? { 'content-type': 'application/json' } : {}), ...spec.headers },
        timeout: plan.timeoutMs ?? 10_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const done = performance.now();
          if (answered[index]) return;
          answered[index] = 1;
          completed++;
          if (index >= warmup) {
            latencies[counted++] = done - intended;
            const key = String(response.statusCode);
            statuses[key] = (statuses[key] ?? 0) + 1;
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => {
      if (answered[index]) return;
      answered[index] = 1;
      completed++;
      if (index >= warmup) {
        errors++;
        latencies[counted++] = performance.now() - intended;
      }
    });
    request.end(spec.body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * plan.rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, 50);
  });
  // Requests still unanswered at the deadline count as errors with the latency they had reached by then: under
  // overload the server's backlog would otherwise keep the generator (and the benchmark) waiting indefinitely.
  const deadline = performance.now() + (plan.timeoutMs ?? 10_000) + 1000;
  while (completed < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const now = performance.now();
  for (let index = warmup; index < total; index++) {
    if (!answered[index]) {
      errors++;
      latencies[counted++] = now - (start + (index * 1000) / plan.rate);
    }
  }
  agent.destroy();

  const sorted = latencies.slice(0, counted).sort();
  const sortedLags = lags.slice(warmup, total).sort();
  return {
    rate: plan.rate,
    seconds: plan.seconds,
    sent,
    completed,
    errors,
    statuses,
    latency: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
      max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    },
    sendLagP99: percentile(sortedLags, 0.99),
  };
}

const plan = JSON.parse(process.argv[2] ?? '{}') as OpenLoopPlan;
const result = await run(plan);
// Exit explicitly: sockets of a backlog the server is still working through must not keep this process alive.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));

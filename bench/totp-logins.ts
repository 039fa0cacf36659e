// A closed-loop load generator for logins with TOTP as the second step, run as its own process by bench/run.ts: each
// of `connections` loops logs in with a password (`POST /api/v1/auth/login`, answered with a pending-login cookie),
// then sends the authenticator code (`POST /api/v1/auth/second-factor`), and starts again with the next account. A
// code is accepted once per account and step, so each login takes the oldest step of that account still within the
// accepted drift; an account with none left waits for the clock.
//
// Input: the path of a JSON file (TotpLoginPlan; thousands of seeds do not fit in one argument). Output: one JSON line
// (TotpLoginResult) on stdout.
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Secret, TOTP } from 'otpauth';

export interface TotpAccount {
  login: string;
  /** The authenticator app's seed (base32). */
  secret: string;
  /** The client address this account logs in from (X-Forwarded-For). */
  address: string;
}

export interface TotpLoginPlan {
  origin: string;
  password: string;
  accounts: TotpAccount[];
  connections: number;
  seconds: number;
  /** Logins finished before this are not counted. */
  warmupSeconds: number;
}

export interface TotpLoginResult {
  logins: number;
  loginsPerSecond: number;
  /** Both steps of one login, ms. */
  latency: { p50: number; p99: number; max: number };
  /** Logins that did not end in a session, by step and status. */
  refused: Record<string, number>;
}

const period = 30;
/** Seconds before the end of a step after which its previous step is no longer used (a login's time under load, with room). */
const boundaryMargin = 3;

interface Answer {
  status: number;
  cookies: string[];
}

function post(agent: http.Agent, origin: URL, path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            cookies: (response.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0] ?? ''),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

async function run(plan: TotpLoginPlan): Promise<TotpLoginResult> {
  const origin = new URL(plan.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections });
  const codes = plan.accounts.map(
    (account) => new TOTP({ algorithm: 'SHA1', digits: 6, period, secret: Secret.fromBase32(account.secret) }),
  );
  // The next step each account may use (the enrolment confirmed two steps back).
  const nextStep = plan.accounts.map(() => 0);
  const started = performance.now();
  const countFrom = started + plan.warmupSeconds * 1000;
  const end = countFrom + plan.seconds * 1000;
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let cursor = 0;

  /**
   * The next account with a step left within the drift, and that step; null when none has one right now. The step
   * before the current one is taken only while it will still be accepted when the code arrives: a login under load
   * takes a few hundred ms, and a code of that step sent in the last `boundaryMargin` seconds of the current step
   * reaches the server two steps back, where it is refused (as it must be).
   */
  const take = (): { index: number; step: number } | null => {
    const now = Date.now() / 1000;
    const current = Math.floor(now / period);
    const oldest = now - current * period < period - boundaryMargin ? current - 1 : current;
    for (let tried = 0; tried < plan.accounts.length; tried++) {
      const index = cursor;
      cursor = (cursor + 1) % plan.accounts.length;
      const step = Math.max(nextStep[index] ?? 0, oldest);
      if (step <= current + 1) {
        nextStep[index] = step + 1;
        return { index, step };
      }
    }
    return null;
  };

  const loop = async () => {
    while (performance.now() < end) {
      const turn = take();
      if (!turn) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const account = plan.accounts[turn.index] as TotpAccount;
      const from = { 'x-forwarded-for': account.address };
      const began = performance.now();
      const first = await post(agent, origin, '/api/v1/auth/login', { login: account.login, password: plan.password }, from);
      let outcome = `login ${first.status}`;
      if (first.status === 200) {
        const code = codes[turn.index]?.generate({ timestamp: turn.step * period * 1000 }) ?? '';
        const second = await post(agent, origin, '/api/v1/auth/second-factor', { code }, { ...from, cookie: first.cookies.join('; ') });
        outcome = second.status === 200 && second.cookies.length > 0 ? 'ok' : `second-factor ${second.status}`;
      }
      const finished = performance.now();
      if (began < countFrom || finished > end) continue;
      if (outcome === 'ok') latencies.push(finished - began);
      else refused[outcome] = (refused[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, loop));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    logins: latencies.length,
    loginsPerSecond: latencies.length / plan.seconds,
    latency: { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? Number.NaN },
    refused,
  };
}

const plan = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as TotpLoginPlan;
console.log(JSON.stringify(await run(plan)));

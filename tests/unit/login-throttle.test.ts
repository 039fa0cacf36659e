import { expect, it } from 'vitest';
import { LoginIpThrottle } from '../../src/server/plugins/login-throttle.js';

// docs/product/security-settings.md#login-throttling, per client address: 10 failed logins a minute. An attempt is
// reserved before its password is hashed.

function throttleAt(start = 1_000_000) {
  let now = start;
  const throttle = new LoginIpThrottle(10, 60_000, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

it('grants 10 reservations a minute per address, however fast they come, and names the wait', () => {
  const { throttle, advance } = throttleAt();
  const granted = Array.from({ length: 10 }, () => throttle.reserve('192.0.2.1'));
  expect(granted.every((r) => r.granted)).toBe(true);
  advance(15_000);
  const refused = throttle.reserve('192.0.2.1');
  expect(refused).toEqual({ granted: false, retryAfterSeconds: 45 });
  // Another address is not affected.
  expect(throttle.reserve('192.0.2.2').granted).toBe(true);
  advance(45_000);
  expect(throttle.reserve('192.0.2.1').granted).toBe(true);
});

it('gives a reservation back when its login succeeds, once', () => {
  const { throttle } = throttleAt();
  const first = throttle.reserve('192.0.2.1');
  for (let i = 0; i < 9; i++) throttle.reserve('192.0.2.1');
  expect(throttle.reserve('192.0.2.1').granted).toBe(false);
  if (!first.granted) throw new Error('not granted');
  first.release();
  first.release();
  expect(throttle.reserve('192.0.2.1').granted).toBe(true);
  expect(throttle.reserve('192.0.2.1').granted).toBe(false);
});

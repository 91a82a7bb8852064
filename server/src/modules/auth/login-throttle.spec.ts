import { FIRST_LOCK_MS, FORGET_AFTER_MS, LoginThrottle, MAX_LOCK_MS } from './login-throttle.js';

describe('LoginThrottle', () => {
  const t0 = 1_000_000;

  it('locks a username after 5 failures for 30 s, doubling with each further failure up to 15 min', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.fail('ann', `10.0.0.${i}`, t0);
    expect(throttle.retryAfterSeconds('ann', '10.0.0.9', t0)).toBe(0);
    throttle.fail('ann', '10.0.0.4', t0);
    expect(throttle.retryAfterSeconds('ann', '10.0.0.9', t0)).toBe(30);
    expect(throttle.retryAfterSeconds('bob', '10.0.0.9', t0)).toBe(0);
    let now = t0 + FIRST_LOCK_MS;
    expect(throttle.retryAfterSeconds('ann', '10.0.0.9', now)).toBe(0);
    const locks: number[] = [];
    for (let i = 0; i < 8; i++) {
      throttle.fail('ann', '10.0.0.9', now);
      const wait = throttle.retryAfterSeconds('ann', '10.0.0.8', now);
      locks.push(wait);
      now += wait * 1000;
    }
    expect(locks).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
    expect(MAX_LOCK_MS).toBe(900_000);
  });

  it('locks an address after 20 failures across usernames', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 19; i++) throttle.fail(`user-${i}`, '10.1.1.1', t0);
    expect(throttle.retryAfterSeconds('someone', '10.1.1.1', t0)).toBe(0);
    throttle.fail('user-19', '10.1.1.1', t0);
    expect(throttle.retryAfterSeconds('someone', '10.1.1.1', t0)).toBe(30);
    expect(throttle.retryAfterSeconds('someone', '10.1.1.2', t0)).toBe(0);
  });

  it('forgets failures 15 minutes after the last one, and a success clears the username', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.fail('cy', '10.2.2.2', t0);
    throttle.fail('cy', '10.2.2.2', t0 + FORGET_AFTER_MS);
    expect(throttle.retryAfterSeconds('cy', '10.2.2.3', t0 + FORGET_AFTER_MS)).toBe(0);
    for (let i = 0; i < 3; i++) throttle.fail('cy', '10.2.2.2', t0 + FORGET_AFTER_MS);
    throttle.succeed('cy');
    throttle.fail('cy', '10.2.2.2', t0 + FORGET_AFTER_MS);
    expect(throttle.retryAfterSeconds('cy', '10.2.2.3', t0 + FORGET_AFTER_MS)).toBe(0);
  });
});

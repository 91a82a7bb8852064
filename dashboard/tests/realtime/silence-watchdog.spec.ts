import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SilenceWatchdog } from '../../src/realtime/silence-watchdog';

describe('SilenceWatchdog', () => {
  let silent: ReturnType<typeof vi.fn<() => void>>;
  let clock: number;
  let watchdog: SilenceWatchdog;

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    silent = vi.fn<() => void>();
    watchdog = new SilenceWatchdog(4000, silent, 250, () => clock);
  });

  afterEach(() => {
    watchdog.stop();
    vi.useRealTimers();
  });

  /** Moves the page's clock and its timers together, as a healthy page sees time pass. */
  async function pass(ms: number) {
    for (let step = 0; step < ms; step += 50) {
      clock += 50;
      await vi.advanceTimersByTimeAsync(50);
    }
  }

  it('fires once, within one check of the limit, when nothing is heard', async () => {
    watchdog.start();
    await pass(4000);
    expect(silent).not.toHaveBeenCalled();
    await pass(250);
    expect(silent).toHaveBeenCalledTimes(1);
    await pass(10_000);
    expect(silent).toHaveBeenCalledTimes(1);
  });

  it('stays quiet while something arrives in time', async () => {
    watchdog.start();
    for (let i = 0; i < 10; i++) {
      await pass(2000);
      watchdog.heard();
    }
    expect(silent).not.toHaveBeenCalled();
  });

  it('does not blame the connection for a stall of the page itself, but fires when the silence goes on', async () => {
    watchdog.start();
    await pass(1000);
    // The page was busy for 5 s: the clock jumped, the timers did not run meanwhile.
    clock += 5000;
    await vi.advanceTimersByTimeAsync(250);
    expect(silent).not.toHaveBeenCalled();
    // The messages queued during the stall arrive now.
    watchdog.heard();
    await pass(3000);
    expect(silent).not.toHaveBeenCalled();
    await pass(1500);
    expect(silent).toHaveBeenCalledTimes(1);
  });
});

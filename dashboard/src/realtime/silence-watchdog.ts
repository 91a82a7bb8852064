/**
 * Declares a connection dead when nothing has been heard for `limitMs`. A server that is killed closes the
 * TCP connection at once, but a pulled cable or a wedged proxy sends nothing at all: without this the socket
 * would look connected until socket.io's own ping timeout. The server pings every 2 s (live.gateway.ts), so
 * silence beyond the limit means at least two pings were missed.
 */
export class SilenceWatchdog {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private lastCheck = 0;

  constructor(
    private readonly limitMs: number,
    private readonly onSilence: () => void,
    private readonly checkEveryMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts watching (on connect); the connection counts as just heard. */
  start(): void {
    this.lastHeard = this.now();
    this.lastCheck = this.lastHeard;
    if (this.timer !== null) return;
    this.timer = setInterval(() => {
      const now = this.now();
      // A check that comes far too late means this page itself was stalled (a long task, a starved CPU): what
      // the server sent meanwhile is still queued behind this timer, so look again on the next check.
      const stalled = now - this.lastCheck > 4 * this.checkEveryMs;
      this.lastCheck = now;
      if (stalled || now - this.lastHeard <= this.limitMs) return;
      this.stop();
      this.onSilence();
    }, this.checkEveryMs);
  }

  /** Anything arrived from the server: a ping, a payload, an acknowledgement. */
  heard(): void {
    this.lastHeard = this.now();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

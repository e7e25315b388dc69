/**
 * Keeps a lock claim alive: a claim carries a short lease, and the process
 * holding (or queueing for) it renews the lease on a timer, so a claim of a
 * process that died stops counting within one lease even where its death
 * cannot be proven (another host). A renewal that finds the claim no longer
 * the holder's marks the lease lost: the session then starts no new step.
 *
 * @example
 * const lease = new LeaseRenewal(() => renewClaim(), 15_000);
 * ...; if (lease.lost) throw ...; await lease.stop();
 */
export class LeaseRenewal {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Set when a renewal learnt that someone else holds the lock now. */
  lost = false;

  /** `renew` appends a fresh lease and says whether the claim still holds (false: lost). */
  constructor(private readonly renew: () => Promise<boolean>, everyMs: number) {
    this.timer = setInterval(() => {
      if (this.stopped) return;
      this.inFlight = this.inFlight.then(async () => {
        if (this.stopped) return;
        try {
          if (!(await this.renew())) this.lost = true;
        } catch {
          // The server did not answer this time; the lease runs on until the next try.
        }
      });
    }, everyMs);
    // Renewing is no reason to keep a finished process alive.
    this.timer.unref();
  }

  /** Stops renewing and waits for a renewal under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}

/** A follower of the log that has had work for this long without moving is not ready. */
export const stallAfterSeconds = 60;

// Tells a follower that is merely behind (it keeps moving) from one that is stuck (stopped,
// failed, or its broker is down). Only the probes' own observations are used, so nothing runs
// between probes; the first probe that sees pending work starts the clock.
export class ProgressWatch {
  private stuckSince: { position: bigint; at: number } | null = null;

  /** seconds the follower has had pending work at the same position; 0 when moving or idle */
  stuckSeconds(position: bigint, pending: boolean, now: Date): number {
    if (!pending) {
      this.stuckSince = null;
      return 0;
    }
    if (this.stuckSince === null || this.stuckSince.position !== position) {
      this.stuckSince = { position, at: now.getTime() };
      return 0;
    }
    return Math.floor((now.getTime() - this.stuckSince.at) / 1000);
  }
}

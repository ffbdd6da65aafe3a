/**
 * A deadline for work one request does, checked between its steps: a request that would run
 * past its Lambda's time limit is answered with a clear problem instead of a timeout.
 */
export class TimeBudget {
  private readonly deadline: number;

  /** `exceeded` builds the error thrown once `ms` have passed; `now` is the clock (tests pass their own). */
  constructor(
    readonly ms: number,
    private readonly exceeded: () => Error,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + ms;
  }

  /** Throws the budget's error when its time is up; cheap enough to call for every item. */
  check(): void {
    if (this.now() > this.deadline) throw this.exceeded();
  }
}

/** A clock tests move by hand, so expiry and lockout are tested without waiting. */
export class TestClock {
  private current: number;

  constructor(start = Date.now()) {
    this.current = start;
  }

  now = (): Date => new Date(this.current);

  advance(ms: number): void {
    this.current += ms;
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}

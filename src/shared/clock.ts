// Time is injected so tests and "as of" evaluation never depend on the wall clock.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

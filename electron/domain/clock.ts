/**
 * Time as the engine sees it. `now()` is simulated time (scaled or virtual); `wallNow()` is the real wall clock,
 * for things that must not speed up with the simulation, such as token expiry.
 */
export interface Clock {
  now(): number;
  wallNow(): number;
}

import type { OperationRequest } from '../electron/domain/fleet-executor.js';

/** The standard normal quantile of 0.99. */
const Z99 = 2.326347874;

/**
 * A device's latency for a uniform draw `u` in [0, 1): uniform in [min, max], or, when the profile gives `mean` and
 * `p99`, log-normal with that mean and 99th percentile (the long tail real fleets show), kept within [min, max].
 */
export function latencyFor({ min, max, mean, p99 }: OperationRequest['profiles'][number]['latencyMs'], u: number): number {
  if (mean === undefined || p99 === undefined) return min + Math.floor(u * (max - min + 1));
  const { mu, sigma } = logNormalOf(mean, p99);
  const value = Math.exp(mu + sigma * inverseStandardNormal(u));
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** Log-normal parameters from a mean and a 99th percentile (the domain checks that p99 / mean is below ~14.9). */
function logNormalOf(mean: number, p99: number): { mu: number; sigma: number } {
  // mean = exp(mu + sigma²/2) and p99 = exp(mu + Z99·sigma): sigma²/2 − Z99·sigma + ln(p99/mean) = 0, the smaller root.
  const sigma = Z99 - Math.sqrt(Math.max(0, Z99 * Z99 - 2 * Math.log(p99 / mean)));
  return { mu: Math.log(mean) - (sigma * sigma) / 2, sigma };
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseStandardNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  if (q < low) {
    const r = Math.sqrt(-2 * Math.log(q));
    return (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  }
  if (q > 1 - low) {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    return -(((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  }
  const r = q - 0.5;
  const s = r * r;
  return ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) / (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1);
}

/** api-version values IoT Central accepts, and the spec file that describes each. */
export const STABLE_VERSION = '2022-07-31';
export const PREVIEW_VERSION = '2022-10-31-preview';

// A Map, not an object literal: `?api-version=__proto__` must not find Object.prototype's members.
const ACCEPTED = new Map<string, SpecVersion>([
  ['2022-07-31', STABLE_VERSION],
  ['2022-10-31-preview', PREVIEW_VERSION],
  ['2022-06-30-preview', PREVIEW_VERSION],
  ['1.2-preview', PREVIEW_VERSION],
  ['1.1-preview', PREVIEW_VERSION],
  ['preview', PREVIEW_VERSION],
]);

export type SpecVersion = typeof STABLE_VERSION | typeof PREVIEW_VERSION;

/** The spec files in the repository, one per SpecVersion. */
export const SPEC_VERSIONS: readonly SpecVersion[] = [STABLE_VERSION, PREVIEW_VERSION];

export const ACCEPTED_VERSIONS = [...ACCEPTED.keys()];

/** The spec that governs a request's api-version, or undefined when the version is not one IoT Central accepts. */
export function specVersionOf(apiVersion: string | undefined): SpecVersion | undefined {
  return apiVersion === undefined ? undefined : ACCEPTED.get(apiVersion);
}

export function isPreview(version: SpecVersion): boolean {
  return version === PREVIEW_VERSION;
}

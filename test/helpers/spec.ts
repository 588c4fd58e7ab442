import { expect } from 'vitest';
import { specVersionOf } from '../../electron/api/central/api-version.js';
import { validateResponse } from '../../electron/api/central/spec-validation.js';

/**
 * Fails the test unless `body` is what Microsoft's spec allows operation `operationId` to answer with `status`,
 * for the spec that governs `apiVersion` (as the server resolves it, so `preview` checks against 2022-10-31-preview).
 */
export function expectMatchesSpec(apiVersion: string, operationId: string, status: number, body: unknown): void {
  const version = specVersionOf(apiVersion);
  if (!version) throw new Error(`expectMatchesSpec: "${apiVersion}" is not an api-version the emulator accepts.`);
  const violation = validateResponse(version, operationId, status, body);
  const problem =
    violation && `${operationId} ${status} (${version}): ${violation.field ? `${violation.field}: ` : 'the response body '}${violation.message}`;
  expect(problem, `response body: ${JSON.stringify(body)}`).toBeUndefined();
}

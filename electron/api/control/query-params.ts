import { CentralError } from '../central/errors.js';

/** Query values arrive as text (the server does not coerce types), so each is checked here with a message in words. */
export function integerParam(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new CentralError('BadRequest', `"${name}" must be an integer from ${min} to ${max}, got "${text}".`);
  }
  return value;
}

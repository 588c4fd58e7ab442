import { afterAll, expect } from 'vitest';
import { unexpectedExits } from '../helpers/serve-process.js';

// Vitest already fails the run on an unhandled rejection or uncaught exception in its own processes (in-process hosts);
// an emulator child process that ends by itself because of one fails the test file that started it.
afterAll(() => {
  expect(unexpectedExits, 'emulator processes that ended without being stopped').toEqual([]);
});

/**
 * Starts work nobody waits for (a screen's first load, a page of rows). Such a task answers its own expected failures
 * on the screen; one that still escapes is a bug, reported here on the console instead of as an unhandled rejection.
 */
export function inBackground(task: Promise<unknown>, what: string): void {
  task.catch((error: unknown) => console.error(`Fleetlab UI: ${what} failed unexpectedly.`, error));
}

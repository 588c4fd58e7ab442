import path from 'node:path';

/** Job ids name folders on disk; anything else could reach outside <data-dir>/jobs. */
export const JOB_ID = /^[a-zA-Z0-9_-]{1,255}$/;

class InvalidJobIdError extends Error {}

/** The job's folder under `root` (<data-dir>/jobs); throws for an id that is not a plain name or a path that leaves root. */
export function checkedJobFolder(root: string, jobId: string): string {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    throw new InvalidJobIdError(`Job id ${JSON.stringify(String(jobId).slice(0, 80))} cannot name a job folder: use 1 to 255 letters, digits, "_" and "-".`);
  }
  const folder = path.resolve(root, jobId);
  const relative = path.relative(root, folder);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new InvalidJobIdError(`Job id "${jobId}" resolves outside ${root}.`);
  return folder;
}

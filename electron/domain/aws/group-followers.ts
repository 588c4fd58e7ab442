import type { AppStore } from '../persisted.js';
import type { AwsJobRecord } from './aws-job-model.js';

/**
 * The continuous AWS jobs that target each thing group, kept current from the store's changes, so that adding a
 * thing to a group finds the jobs to extend without scanning every job.
 */
export class GroupFollowers {
  private readonly jobsByGroup = new Map<string, Set<string>>();
  private readonly groupsByJob = new Map<string, readonly string[]>();

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.rebuild();
      else if (change.op === 'set' || change.collection !== 'awsJobs') return;
      else if (change.op === 'delete') this.forget(change.id);
      else this.follow(change.record as AwsJobRecord);
    });
  }

  /** Ids of the continuous jobs that target any of `groups`, each once. */
  jobsFollowing(groups: Iterable<string>): string[] {
    const ids = new Set<string>();
    for (const group of groups) for (const id of this.jobsByGroup.get(group) ?? []) ids.add(id);
    return [...ids];
  }

  private follow(record: AwsJobRecord): void {
    this.forget(record.jobId);
    if (record.targetSelection !== 'CONTINUOUS') return;
    this.groupsByJob.set(record.jobId, record.thingGroups);
    for (const group of record.thingGroups) {
      let jobs = this.jobsByGroup.get(group);
      if (!jobs) this.jobsByGroup.set(group, (jobs = new Set()));
      jobs.add(record.jobId);
    }
  }

  private forget(jobId: string): void {
    for (const group of this.groupsByJob.get(jobId) ?? []) this.jobsByGroup.get(group)?.delete(jobId);
    this.groupsByJob.delete(jobId);
  }

  private rebuild(): void {
    this.jobsByGroup.clear();
    this.groupsByJob.clear();
    for (const record of this.store.repository('awsJobs').list()) this.follow(record);
  }
}

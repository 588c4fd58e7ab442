import type { AppStore } from '../store/app-store.js';

export interface JobView {
  id: string;
  [field: string]: unknown;
}

/** Read access to jobs in creation order. */
export class JobCatalog {
  constructor(private readonly store: AppStore) {}

  list(): JobView[] {
    return Object.values(this.store.data.jobs) as JobView[];
  }
}

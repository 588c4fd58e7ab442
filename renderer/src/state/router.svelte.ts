import { pathFromHash } from '../lib/routing';

/** Hash-based routing: works alike when the UI is served over HTTP and when it is loaded from a file. */
class RouterState {
  path = $state(pathFromHash(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.path = pathFromHash(window.location.hash);
    });
  }
}

export const router = new RouterState();

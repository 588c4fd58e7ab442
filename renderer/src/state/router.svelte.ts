import { ROUTES, type Route } from '../routes';

/** `#/jobs` -> `/jobs`; an empty hash is Home. */
function pathFromHash(hash: string): string {
  const raw = hash.replace(/^#/, '');
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw; // a malformed %-escape is just an unknown path
  }
  if (path === '') return '/';
  return path.startsWith('/') ? path : `/${path}`;
}

/** Hash-based routing: works alike when the UI is served over HTTP and when it is loaded from a file. */
class RouterState {
  path = $state(pathFromHash(window.location.hash));

  constructor(readonly routes: Route[]) {
    window.addEventListener('hashchange', () => {
      this.path = pathFromHash(window.location.hash);
    });
  }

  /** The route for the current hash, undefined when none matches. */
  get current(): Route | undefined {
    return (
      this.routes.find((route) => route.path === this.path) ??
      this.routes.find((route) => route.nested && this.path.startsWith(`${route.path}/`))
    );
  }
}

export const router = new RouterState(ROUTES);

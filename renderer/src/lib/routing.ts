/** A screen's place in the hash navigation. */
export interface RoutePattern {
  /** The part after `#`, e.g. `/jobs`. */
  path: string;
  /** Navigation label and page title. */
  title: string;
  /** Also matches the paths below it (`/jobs/details/<id>`); the screen reads the rest from the router. */
  nested?: boolean;
}

/** `#/jobs` -> `/jobs`; an empty hash is Home. */
export function pathFromHash(hash: string): string {
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

export function routeMatches(route: RoutePattern, path: string): boolean {
  return route.path === path || (!!route.nested && path.startsWith(`${route.path}/`));
}

/** The route for `path`, an exact match first; undefined when none matches. */
export function routeFor<T extends RoutePattern>(routes: readonly T[], path: string): T | undefined {
  return routes.find((route) => route.path === path) ?? routes.find((route) => routeMatches(route, path));
}

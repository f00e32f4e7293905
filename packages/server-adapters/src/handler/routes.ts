import type { Operation } from './handler-types';
import { withoutTrailingSlash } from './mount-path';

/** A route of the HTTP contract, below the mount point. */
export interface Route {
  /**
   * In the spelling the frameworks share: `:id` is one path segment; `*` is everything
   * below, which the route itself must find to be one segment.
   */
  readonly path: '/tus' | '/tus/*' | '/upload' | '/:id';
  /**
   * The methods it serves, and the operation `authorize` sees for each (`null`: none, for
   * the tus discovery `OPTIONS`, which reveals nothing of an upload).
   */
  readonly methods: Readonly<Record<string, Operation | null>>;
  /**
   * Served by the tus handler, which answers every method: the ones it does not serve with a
   * 405 naming `methods`, and a client may override the method with a header.
   */
  readonly tus: boolean;
}

/** Every method a framework must pass on for a route that answers them all. */
const EVERY_METHOD = ['OPTIONS', 'HEAD', 'GET', 'POST', 'PATCH', 'DELETE'] as const;

/** The contract's routes, the first match winning (`/tus` is not an id). */
export const ROUTES: readonly Route[] = [
  { path: '/tus', methods: { OPTIONS: null, POST: 'tus-create' }, tus: true },
  {
    path: '/tus/*',
    methods: { OPTIONS: null, HEAD: 'tus-resume', PATCH: 'tus-resume', DELETE: 'tus-terminate' },
    tus: true,
  },
  { path: '/upload', methods: { POST: 'upload' }, tus: false },
  {
    path: '/:id',
    methods: { GET: 'download', HEAD: 'download', DELETE: 'delete' },
    tus: false,
  },
];

export interface RouteMatch {
  route: Route;
  /** The raw (still percent-encoded) segment `:id` or `*` stands for. */
  id?: string;
}

function matchPath(route: Route, pathname: string): RouteMatch | null {
  const wild = route.path.endsWith('/*') || route.path.endsWith('/:id');
  if (!wild) return pathname === route.path ? { route } : null;
  const prefix = route.path.slice(0, route.path.lastIndexOf('/') + 1);
  if (!pathname.startsWith(prefix)) return null;
  const id = pathname.slice(prefix.length);
  return id === '' || id.includes('/') ? null : { route, id };
}

/**
 * The route a request is for, or `null` when it is none of ours. `pathname` is below the
 * mount point, without its query; one trailing `/` is ignored. A route that is not a tus one
 * matches only the methods it serves.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  const trimmed = withoutTrailingSlash(pathname);
  for (const route of ROUTES) {
    const match = matchPath(route, trimmed);
    if (!match) continue;
    if (route.tus || Object.hasOwn(route.methods, method)) return match;
  }
  return null;
}

/** The methods a framework routes to the handler on `route`. */
export function routedMethods(route: Route): readonly string[] {
  return route.tus ? EVERY_METHOD : Object.keys(route.methods);
}

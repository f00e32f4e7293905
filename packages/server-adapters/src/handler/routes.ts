import type { Operation } from './handler-types';
import { withoutTrailingSlash } from './mount-path';

/** A route of the HTTP contract, below the mount point. */
export interface Route {
  /**
   * In the spelling the frameworks share: `:id` is one path segment; `*` is everything
   * below, which the route itself must find to be one segment.
   */
  readonly path:
    | '/tus'
    | '/tus/*'
    | '/upload'
    | '/direct'
    | '/direct/:id'
    | '/direct/:id/parts'
    | '/direct/:id/complete'
    | '/:id';
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
  /** Served by the direct-to-bucket routes (JSON in, JSON out). */
  readonly direct?: true;
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
  { path: '/direct', methods: { POST: 'direct-sign' }, tus: false, direct: true },
  { path: '/direct/:id', methods: { DELETE: 'direct-abort' }, tus: false, direct: true },
  {
    path: '/direct/:id/parts',
    methods: { GET: 'direct-sign', POST: 'direct-sign' },
    tus: false,
    direct: true,
  },
  {
    path: '/direct/:id/complete',
    methods: { POST: 'direct-complete' },
    tus: false,
    direct: true,
  },
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

/** Each route's path in segments, split once. */
const SEGMENTS: ReadonlyMap<Route, readonly string[]> = new Map(
  ROUTES.map((route) => [route, route.path.split('/')]),
);

/** Segment by segment: `:id` and `*` stand for one non-empty segment, the rest as written. */
function matchPath(route: Route, have: readonly string[]): RouteMatch | null {
  const want = SEGMENTS.get(route) as readonly string[];
  if (want.length !== have.length) return null;
  let id: string | undefined;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] as string;
    const actual = have[i] as string;
    if (segment === ':id' || segment === '*') {
      if (actual === '') return null;
      id = actual;
    } else if (segment !== actual) return null;
  }
  return id === undefined ? { route } : { route, id };
}

/**
 * The route a request is for, or `null` when it is none of ours. `pathname` is below the
 * mount point, without its query; one trailing `/` is ignored. A route that is not a tus one
 * matches only the methods it serves.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | null {
  const have = withoutTrailingSlash(pathname).split('/');
  for (const route of ROUTES) {
    const match = matchPath(route, have);
    if (!match) continue;
    if (route.tus || Object.hasOwn(route.methods, method)) return match;
  }
  return null;
}

/** The methods a framework routes to the handler on `route`. */
export function routedMethods(route: Route): readonly string[] {
  return route.tus ? EVERY_METHOD : Object.keys(route.methods);
}

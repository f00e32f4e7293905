/**
 * A mount path in one spelling: a leading `/`, no trailing `/`, and `''` for the root, so
 * `basePath + '/' + id` is always a well-formed URL path.
 */
export function normalizeBasePath(prefix: string | undefined): string {
  if (!prefix) return '';
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** `path` without one trailing `/` (`/` itself becomes `''`, which no route matches). */
export function withoutTrailingSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * The part of a request URL below `basePath` (`/upload`, `/<id>?disposition=inline`, `/` for
 * the mount point itself), query kept; `null` when the URL is not under `basePath` at all.
 */
export function pathBelow(url: string, basePath: string): string | null {
  const [pathname, search] = splitQuery(url);
  if (basePath === '') return pathname.startsWith('/') ? url : null;
  if (pathname === basePath) return `/${search}`;
  if (pathname.startsWith(basePath) && pathname[basePath.length] === '/') {
    return pathname.slice(basePath.length) + search;
  }
  return null;
}

/** A URL (or a path) split before its `?`: the path, and the query with its `?` (or `''`). */
export function splitQuery(url: string): [pathname: string, search: string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q)];
}

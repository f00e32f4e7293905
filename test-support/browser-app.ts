import type { IncomingMessage, ServerResponse } from 'node:http';
import { build } from 'esbuild';

/**
 * Bundles a tiny browser app (entry source given inline, resolved from `resolveDir`) and
 * returns a route handler serving it at `/` (page) and `/app.js` (bundle).
 */
export async function bundleApp(source: string, resolveDir: string, loader: 'tsx' | 'ts') {
  const result = await build({
    stdin: { contents: source, resolveDir, loader },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  const page =
    '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="/app.js"></script>';
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
      return true;
    }
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return true;
    }
    return false;
  };
}

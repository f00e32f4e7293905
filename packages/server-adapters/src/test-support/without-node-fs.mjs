// Preloaded with `node --import`: makes `node:fs` (and `fs`, `fs/promises`) fail to load, for
// ESM imports (a resolve hook) and CommonJS requires alike, as in a runtime without it. What
// Node itself loaded before this hook is not affected; what the app's modules load is.
import Module, { register } from 'node:module';

const FS = /^(node:)?fs(\/promises)?$/;
const hook = `export async function resolve(specifier, context, next) {
  if (${FS}.test(specifier)) {
    throw Object.assign(new Error('node:fs is not available: ' + specifier), { code: 'ERR_NO_NODE_FS' });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const load = Module._load;
Module._load = function (request, ...rest) {
  if (FS.test(request)) {
    throw Object.assign(new Error(`node:fs is not available: ${request}`), {
      code: 'ERR_NO_NODE_FS',
    });
  }
  return load.call(this, request, ...rest);
};

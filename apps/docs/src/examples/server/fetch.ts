// From the /fetch entry, which loads no node:fs (the package root also brings diskStorage).
import { memoryStorage, updown } from '@updown/server-adapters/fetch';
import { rules } from '../shared/rules';

// One function from Request to Response, for any runtime that speaks fetch. A request
// outside the prefix gets a 404: route your other paths before it.
const handle = updown({
  prefix: '/api/files',
  // memoryStorage and s3Storage need no node:fs; diskStorage needs Node's fs (Bun and Deno have it).
  storage: memoryStorage(),
  rules,
});

// `bun run server.ts` and `deno serve server.ts` both serve a default export with `fetch`.
export default { fetch: handle };

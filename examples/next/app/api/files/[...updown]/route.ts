import { diskStorage } from '@updown/server-adapters';
import { updown } from '@updown/server-adapters/next';
import { uploadRules } from '../../../../lib/upload-rules';

// The handler reads node:fs (diskStorage) and streams bodies: the Node runtime, never Edge.
export const runtime = 'nodejs';
// Every answer depends on the request (ranges, conditionals, stored files): never cached.
export const dynamic = 'force-dynamic';

export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = updown({
  // Where this file sits under app/: the catch-all segment is the contract's own path.
  prefix: '/api/files',
  storage: diskStorage({ directory: process.env.UPLOAD_DIR ?? './uploads' }),
  rules: uploadRules,
});

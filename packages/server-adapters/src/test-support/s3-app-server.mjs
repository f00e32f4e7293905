// One app server of a fleet sharing one bucket and one Redis, run as its own process by the
// tests (child_process.fork): the built package on node:http, s3Storage and redisLocker.
// Tells its port over IPC; answers 'sweep' with what handler.sweepExpiredUploads() removed.
import { createServer } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import Redis from 'ioredis';
import { createUploadHandler, redisLocker, s3Storage } from '../../dist/index.js';

const env = process.env;
const client = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});
const redis = new Redis(Number(env.REDIS_PORT), '127.0.0.1');
const handler = createUploadHandler({
  storage: s3Storage({
    client,
    bucket: env.S3_BUCKET,
    prefix: env.S3_PREFIX,
    partSize: 5 * 1024 * 1024,
  }),
  authorize: () => true,
  tus: {
    locker: redisLocker({ client: redis }),
    lockTimeoutMs: Number(env.LOCK_TIMEOUT_MS ?? 10_000),
    expirationMs: Number(env.EXPIRATION_MS ?? 60_000),
  },
});

const BASE = '/api/files';
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (!url.startsWith(`${BASE}/`)) {
    res.writeHead(404).end();
    return;
  }
  handler.handle(req, res, { path: url.slice(BASE.length), basePath: BASE, framework: null }).then(
    (handled) => {
      if (!handled) res.writeHead(404).end();
    },
    () => res.destroy(),
  );
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'sweep') {
    handler.sweepExpiredUploads().then((removed) => process.send?.({ swept: removed }));
  }
});

import type { NextConfig } from 'next';

// Nothing to set for updown: route handlers get request bodies unparsed, as streams, and
// @updown/server-adapters bundles as it is. (A proxy.ts in front of /api/files would buffer
// bodies and cut them at experimental.proxyClientMaxBodySize: this app has none.)
const nextConfig: NextConfig = {};

export default nextConfig;

// The allowed imports between the rooms of the house, written once (ARCHITECTURE.md explains
// them). `npm test` runs `npm run check:architecture`, which fails on any import this forbids.
// Test files and test-support folders may reach further (servers, peers, helpers), so the room
// rules judge shipped sources only.

const TESTS = '(\\.test(-d)?\\.tsx?$|\\.test\\.ts$|/test-support/)';
const CORE = '^packages/core/src/';
const SERVER = '^packages/server-adapters/src/';

/**
 * Each room of a package and the rooms of the same package it may import. A room always
 * may import itself; everything else is forbidden.
 */
const ROOMS = {
  core: {
    root: CORE,
    rooms: {
      rules: [],
      shared: [],
      transport: ['shared'],
      tus: ['shared', 'transport'],
      // Direct-to-bucket uploads reuse tus's fingerprint and URL store to resume after a reload.
      s3: ['shared', 'transport', 'tus'],
      upload: ['rules', 'shared', 'transport'],
      select: ['rules', 'shared', 'upload'],
      download: ['shared'],
      announce: ['rules', 'upload'],
      image: ['shared', 'upload'],
      persist: ['tus', 'upload'],
      bindings: ['rules', 'shared', 'transport', 'upload', 'select', 'download'],
    },
  },
  server: {
    root: SERVER,
    rooms: {
      storage: [],
      // exchange/ is a request and its answer on any runtime (Node's req/res, a web Request and
      // its Response): below every room that reads a body or sends an answer.
      exchange: [],
      // handler/ holds the contract every route shares (errors, options, limits, authorize,
      // routes) and, on top, the dispatcher; see DISPATCHER below for what only it may do.
      handler: ['exchange', 'intake', 'storage', 'multipart', 'download', 'tus', 'direct'],
      intake: ['exchange', 'handler', 'storage'],
      multipart: ['exchange', 'handler', 'intake', 'storage'],
      download: ['exchange', 'handler', 'intake', 'storage'],
      tus: ['exchange', 'handler', 'intake', 'storage'],
      direct: ['exchange', 'handler', 'intake', 'storage'],
      adapters: ['exchange', 'handler', 'intake', 'multipart', 'download', 'storage', 'tus'],
    },
  },
};

function roomRules({ root, rooms }, pkg) {
  const names = Object.keys(rooms);
  const forbidden = names.map((room) => {
    const allowed = [room, ...rooms[room]];
    return {
      name: `${pkg}-${room}-imports`,
      comment: `${pkg}/${room} may import only ${allowed.join(', ')} of its own package (ARCHITECTURE.md)`,
      severity: 'error',
      from: { path: `${root}${room}/`, pathNot: TESTS },
      to: { path: root, pathNot: [`${root}(${allowed.join('|')})/`, `${root}index\\.ts$`] },
    };
  });
  forbidden.push({
    name: `${pkg}-no-room-imports-the-entry`,
    comment: `${pkg}'s index.ts only re-exports; no room imports it`,
    severity: 'error',
    from: { path: root, pathNot: [TESTS, `${root}index\\.ts$`] },
    to: { path: `${root}index\\.ts$` },
  });
  forbidden.push({
    name: `${pkg}-files-live-in-rooms`,
    comment: `every shipped source of ${pkg} lives in a room (a folder by concern), except index.ts`,
    severity: 'error',
    from: { path: `${root}[^/]+$`, pathNot: [TESTS, `${root}index\\.ts$`] },
    to: {},
  });
  return forbidden;
}

/** The one server file that wires the routes together; the routes never reach back to it. */
const DISPATCHER = `${SERVER}handler/exchange-handler\\.ts$`;
/** The dispatcher on Node's req/res, with the default disk storage (the fetch entry loads none). */
const NODE_HANDLER = `${SERVER}handler/create-upload-handler\\.ts$`;

module.exports = {
  forbidden: [
    ...roomRules(ROOMS.core, 'core'),
    ...roomRules(ROOMS.server, 'server'),
    {
      name: 'server-handler-contract-below-the-routes',
      comment:
        'only the dispatcher (handler/exchange-handler.ts) imports the route rooms; the rest of handler/ is the contract they share',
      severity: 'error',
      from: { path: `${SERVER}handler/`, pathNot: [TESTS, DISPATCHER] },
      to: { path: `${SERVER}(multipart|download|tus|direct|intake)/` },
    },
    {
      name: 'server-nothing-reaches-the-dispatcher',
      comment: 'the dispatcher is imported by the adapters, the Node handler and the entry alone',
      severity: 'error',
      from: {
        path: SERVER,
        pathNot: [TESTS, `${SERVER}adapters/`, NODE_HANDLER, `${SERVER}index\\.ts$`],
      },
      to: { path: DISPATCHER },
    },
    {
      name: 'core-rules-alone',
      comment: 'core/rules is the rules alone: it imports nothing at all outside itself',
      severity: 'error',
      from: { path: `${CORE}rules/`, pathNot: TESTS },
      to: { pathNot: `${CORE}rules/` },
    },
    {
      name: 'core-no-runtime-dependencies',
      comment:
        'the core ships with no runtime dependency, no Node API, no framework, no server code',
      severity: 'error',
      from: { path: CORE, pathNot: TESTS },
      to: { pathNot: CORE },
    },
    {
      name: 'hooks-stay-in-the-browser',
      comment: 'React and Solid hooks import only core, their framework, and themselves',
      severity: 'error',
      from: { path: '^packages/(react|solid)/src/', pathNot: TESTS },
      to: {
        pathNot: [
          '^packages/$1/src/',
          '^packages/core/src/(index|bindings/index)\\.ts$',
          '^node_modules/(react|react-dom|solid-js|@tanstack/react-query)/',
        ],
      },
    },
    {
      name: 'server-imports-only-core-rules',
      comment:
        'the server imports core only through @updown/core/rules (interop tests may drive it with the client)',
      severity: 'error',
      from: { path: SERVER, pathNot: TESTS },
      to: { path: CORE, pathNot: `${CORE}rules/index\\.ts$` },
    },
    {
      name: 'frameworks-only-in-adapters',
      comment: 'Express, Fastify, Koa, Hono and Next.js are imported by their adapter alone',
      severity: 'error',
      from: { path: SERVER, pathNot: [TESTS, `${SERVER}adapters/`] },
      to: { path: '^node_modules/(express|fastify|koa|@koa/[^/]+|hono|@hono/[^/]+|next)/' },
    },
    {
      name: 'no-circular',
      comment: 'no file reaches itself through its imports',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'every import resolves to a file or a declared package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: '(/dist/|/test-output/)' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.architecture.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

// The older majors are installed under aliases for the smoke tests; their runtime API is
// the part we use of the newest one, so the newest types describe them well enough.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'fastify4' {
  import fastify from 'fastify';
  export default fastify;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}

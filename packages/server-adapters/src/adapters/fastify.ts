import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createUploadHandler } from '../handler/create-upload-handler';
import { HandlerError, sendError } from '../handler/errors';
import type { HandlerContext, HandlerOptions } from '../handler/handler-types';
import { normalizeBasePath, pathBelow } from '../handler/mount-path';
import { ROUTES, routedMethods } from '../handler/routes';

/** Options of the Fastify plugin: the handler's, with hooks that see the `FastifyRequest`. */
export type FastifyUpdownOptions = HandlerOptions<FastifyRequest>;

/** What `authorize` and `onUploaded` receive under Fastify; `framework` is the `FastifyRequest`. */
export type FastifyHandlerContext = HandlerContext<FastifyRequest>;

/**
 * A Fastify plugin (Fastify 4 and 5) serving the upload contract below the `prefix` it is
 * registered with. It stays encapsulated: its body parsers and routes touch nothing outside
 * its prefix. Fastify's `bodyLimit` does not apply to it; `limits` does. File ids are a
 * path parameter, so a custom storage minting ids longer than Fastify's `maxParamLength`
 * (100 by default) needs that server option raised.
 *
 * @example
 * app.register(updown, { prefix: '/api/files', storage: diskStorage({ directory: './uploads' }) })
 */
export const updown: FastifyPluginAsync<FastifyUpdownOptions> = async (
  fastify: FastifyInstance,
  options,
) => {
  const handler = createUploadHandler<FastifyRequest>(options);
  const basePath = normalizeBasePath(fastify.prefix);

  // Every body stays the raw request stream for the handler to read: multipart uploads now,
  // `application/offset+octet-stream` for tus later, and anything else so that the handler,
  // not Fastify, gives the contract's answer to a wrong content type. Encapsulation keeps
  // this change inside the plugin.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));

  async function serve(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.hijack();
    const path = pathBelow(request.url, basePath) ?? '/';
    try {
      const handled = await handler.handle(request.raw, reply.raw, {
        path,
        basePath,
        framework: request,
      });
      if (!handled) sendError(reply.raw, new HandlerError('not-found', 'Not found'));
    } catch (error) {
      sendError(reply.raw, error);
    }
  }

  for (const route of ROUTES) {
    fastify.route({
      // A tus route answers every method (405 for the ones it does not serve), so it takes
      // every one this Fastify routes (`supportedMethods` since Fastify 5).
      method: route.tus
        ? [...new Set([...routedMethods(route), 'PUT', ...(fastify.supportedMethods ?? [])])]
        : [...routedMethods(route)],
      url: route.path,
      exposeHeadRoute: false,
      handler: serve,
    });
  }
};

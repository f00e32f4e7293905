// The docs site: Starlight pages with live React and Solid islands. Each framework's JSX is
// compiled only under its own folder, so both can live in one site.
import react from '@astrojs/react';
import solid from '@astrojs/solid-js';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { createDemoApi } from './server.mjs';
import { rehypeTableLabels } from './src/plugins/rehype-table-labels.mjs';

/** `astro dev` answers /api like `npm start` does, so the live demos work there too. */
const demoApi = {
  name: 'updown-demo-api',
  configureServer(server) {
    const dataDirectory = process.env.UPDOWN_DATA_DIR;
    const api = createDemoApi(dataDirectory ? { dataDirectory } : {});
    // Not mounted at /api: connect would strip it, and the adapter's answers name full URLs.
    server.middlewares.use((req, res, next) =>
      req.url?.startsWith('/api/') ? api(req, res, next) : next(),
    );
  },
};
// `astro build` runs a Vite server too (content sync): the API belongs to `astro dev` only.
const isDev = process.argv.includes('dev');

export default defineConfig({
  // Where the site is published: canonical links and the sitemap are made from it.
  site: process.env.UPDOWN_SITE_URL ?? 'https://updown.js.org',
  vite: { plugins: isDev ? [demoApi] : [] },
  trailingSlash: 'ignore',
  markdown: { rehypePlugins: [rehypeTableLabels] },
  integrations: [
    starlight({
      title: 'updown',
      description:
        'Headless file upload and download for TypeScript: core, React, Solid, Express, Fastify, Koa.',
      logo: { src: './src/assets/logo.svg', alt: 'updown' },
      customCss: ['./src/styles/theme.css', './src/styles/demo.css'],
      lastUpdated: false,
      // Long lines wrap (indent kept) instead of running out of the content column.
      expressiveCode: { defaultProps: { wrap: true } },
      pagination: true,
      sidebar: [
        {
          label: 'Start here',
          items: [
            { label: 'Getting started', slug: 'getting-started' },
            { label: 'Live demo: React', slug: 'demos/react' },
            { label: 'Live demo: Solid', slug: 'demos/solid' },
            { label: 'Vanilla core demo', link: '/vanilla/', attrs: { 'data-astro-reload': true } },
          ],
        },
        {
          label: 'Guides',
          items: [
            { label: 'Upload', slug: 'guides/upload' },
            { label: 'Download', slug: 'guides/download' },
            { label: 'Messages', slug: 'guides/messages' },
            { label: 'Accessibility', slug: 'guides/accessibility' },
            { label: 'Previews', slug: 'guides/previews' },
            { label: 'Resize before sending', slug: 'guides/resize' },
            {
              label: 'Resumable uploads (tus)',
              slug: 'guides/resumable',
              badge: { text: 'new', variant: 'tip' },
            },
            {
              label: 'Direct to the bucket (S3)',
              slug: 'guides/direct-to-bucket',
              badge: { text: 'new', variant: 'tip' },
            },
          ],
        },
        {
          label: 'Frameworks',
          items: [
            { label: 'React', slug: 'frameworks/react' },
            { label: 'Solid', slug: 'frameworks/solid' },
            { label: 'React Query', slug: 'frameworks/react-query' },
          ],
        },
        {
          label: 'Server',
          items: [
            { label: 'Express, Fastify, Koa', slug: 'server/adapters' },
            { label: 'Next.js', slug: 'server/nextjs', badge: { text: 'new', variant: 'tip' } },
            { label: 'Hono', slug: 'server/hono', badge: { text: 'new', variant: 'tip' } },
            {
              label: 'Bun, Deno and fetch',
              slug: 'server/bun-deno',
              badge: { text: 'new', variant: 'tip' },
            },
            { label: 'Dev proxy and CORS', slug: 'server/proxy-and-cors' },
            { label: 'Storage', slug: 'server/storage' },
            { label: 'Security and limits', slug: 'server/security' },
          ],
        },
        { label: 'Reference', items: [{ label: 'API reference', slug: 'reference/api' }] },
      ],
    }),
    react({ include: ['**/react/**'] }),
    solid({ include: ['**/solid/**'] }),
  ],
});

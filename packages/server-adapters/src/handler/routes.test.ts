import { describe, expect, it } from 'vitest';
import { matchRoute, ROUTES, routedMethods } from './routes';

const at = (method: string, path: string) => {
  const match = matchRoute(method, path);
  return match && { path: match.route.path, id: match.id };
};

describe('matchRoute', () => {
  it.each([
    ['POST', '/upload', { path: '/upload', id: undefined }],
    ['GET', '/upload', { path: '/:id', id: 'upload' }],
    ['GET', '/abc', { path: '/:id', id: 'abc' }],
    ['HEAD', '/abc/', { path: '/:id', id: 'abc' }],
    ['DELETE', '/abc', { path: '/:id', id: 'abc' }],
    ['PUT', '/abc', null],
    ['GET', '/', null],
    ['GET', '/a/b', null],
    ['GET', '/tus', { path: '/tus', id: undefined }],
    ['POST', '/tus/', { path: '/tus', id: undefined }],
    ['PUT', '/tus/x%20y', { path: '/tus/*', id: 'x%20y' }],
    ['PATCH', '/tus/a/b', null],
    ['GET', '/tus//', null],
    ['GET', 'abc', null],
    ['POST', '/direct', { path: '/direct', id: undefined }],
    ['GET', '/direct', { path: '/:id', id: 'direct' }],
    ['DELETE', '/direct/abc', { path: '/direct/:id', id: 'abc' }],
    ['GET', '/direct/abc', null],
    ['GET', '/direct/abc/parts', { path: '/direct/:id/parts', id: 'abc' }],
    ['POST', '/direct/abc/parts/', { path: '/direct/:id/parts', id: 'abc' }],
    ['POST', '/direct/abc/complete', { path: '/direct/:id/complete', id: 'abc' }],
    ['GET', '/direct/abc/complete', null],
    ['POST', '/direct//complete', null],
    ['POST', '/direct/abc/other', null],
  ])('%s %s', (method, path, expected) => {
    expect(at(method, path)).toEqual(expected);
  });
});

describe('routedMethods', () => {
  it('passes every method on to a tus route, and only the served ones elsewhere', () => {
    expect(ROUTES.map((route) => [route.path, routedMethods(route)])).toEqual([
      ['/tus', ['OPTIONS', 'HEAD', 'GET', 'POST', 'PATCH', 'DELETE']],
      ['/tus/*', ['OPTIONS', 'HEAD', 'GET', 'POST', 'PATCH', 'DELETE']],
      ['/upload', ['POST']],
      ['/direct', ['POST']],
      ['/direct/:id', ['DELETE']],
      ['/direct/:id/parts', ['GET', 'POST']],
      ['/direct/:id/complete', ['POST']],
      ['/:id', ['GET', 'HEAD', 'DELETE']],
    ]);
  });
});

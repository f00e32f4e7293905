import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HandlerError, sendError, statusForCode, toHandlerError } from './errors';

let server: Server | undefined;
afterEach(async () => {
  const current = server;
  server = undefined;
  if (!current) return;
  current.closeAllConnections();
  await new Promise((resolve) => current.close(resolve));
});

async function answer(
  error: unknown,
): Promise<{ status: number; body: string; type: string | null }> {
  server = createServer((_req, res) => sendError(res, error));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('errors', () => {
  it.each([
    ['malformed-request', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not-found', 404],
    ['request-timeout', 408],
    ['file-too-large', 413],
    ['too-many-files', 413],
    ['request-too-large', 413],
    ['file-invalid-type', 415],
    ['range-not-satisfiable', 416],
    ['file-too-small', 422],
    ['validation-failed', 422],
    ['storage-error', 500],
    ['server-busy', 503],
    ['offset-mismatch', 409],
    ['locked', 423],
    ['upload-completed', 409],
    ['my-own-code', 422],
  ])('%s is %i', (code, status) => {
    expect(statusForCode(code)).toBe(status);
    expect(new HandlerError(code, 'm').status).toBe(status);
  });

  it('sends a HandlerError as JSON with its status, code and message only', async () => {
    const res = await answer(
      new HandlerError('file-too-large', 'Too big', { cause: new Error('/etc/x') }),
    );
    expect(res.status).toBe(413);
    expect(res.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'file-too-large', message: 'Too big' } });
  });

  it.each([
    new Error("ENOENT: no such file or directory, open '/srv/uploads/.partial/x'"),
    Object.assign(new Error('boom'), { status: 400, code: 'EACCES' }),
    'a string',
    null,
  ])('anything else becomes a generic 500 storage-error (%s)', async (thrown) => {
    const res = await answer(thrown);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: 'storage-error', message: 'The file could not be stored' },
    });
    expect(res.body).not.toMatch(/srv|ENOENT|EACCES|boom|at /);
  });

  it('toHandlerError keeps the original as the cause, for your logs', () => {
    const original = new Error('disk full');
    expect(toHandlerError(original).cause).toBe(original);
  });
});

import { afterEach, expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ count: 0, fieldNames: [] as (string | undefined)[] }));

vi.mock('../transport/xhr-transport', () => ({
  xhrTransport: (options: { fieldName?: string }) => {
    made.count++;
    made.fieldNames.push(options.fieldName);
    return async () => ({ ok: true });
  },
}));

const { createUploader } = await import('./uploader');

afterEach(() => {
  vi.unstubAllGlobals();
});

it('builds the default transport once per options in force, not once per send', async () => {
  vi.stubGlobal('XMLHttpRequest', class {});
  const uploader = createUploader({ endpoint: '/upload' });
  await uploader.add([new File(['a'], 'a.txt'), new File(['b'], 'b.txt')]);
  await uploader.upload();
  expect(uploader.getState().items.map((item) => item.status)).toEqual(['success', 'success']);
  expect(made.count).toBe(1);

  // New options, a new transport that follows them.
  uploader.setOptions({ fieldName: 'upload' });
  await uploader.add([new File(['c'], 'c.txt')]);
  await uploader.upload();
  expect(made.count).toBe(2);
  expect(made.fieldNames).toEqual([undefined, 'upload']);
  uploader.destroy();
});

it('fails with missing-transport where endpoint alone has no XMLHttpRequest, without retrying', async () => {
  expect(typeof XMLHttpRequest).toBe('undefined');
  const before = made.count;
  const uploader = createUploader({ endpoint: '/upload' });
  await uploader.add([new File(['a'], 'a.txt')]);
  const [item] = await uploader.upload();
  expect(item!.status).toBe('error');
  expect(item!.error?.code).toBe('missing-transport');
  expect(item!.error?.message).toMatch(/transport/);
  expect(item!.attempts).toBe(1);
  expect(made.count).toBe(before);
  uploader.destroy();
});

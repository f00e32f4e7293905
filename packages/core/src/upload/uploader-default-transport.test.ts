import { expect, it, vi } from 'vitest';

const made = vi.hoisted(() => ({ count: 0, fieldNames: [] as (string | undefined)[] }));

vi.mock('../transport/default-transport', () => ({
  defaultTransport: (options: { fieldName?: string }) => {
    made.count++;
    made.fieldNames.push(options.fieldName);
    return async () => ({ ok: true });
  },
}));

const { createUploader } = await import('./uploader');

it('builds the default transport once per options in force, not once per send', async () => {
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

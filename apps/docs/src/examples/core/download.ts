import { createDownloader, download, toBlob } from '@updown/core';

// A URL, saved under a name of your choosing (fetched, so the server's name cannot win).
await download({ url: '/api/files/3f2a9c', filename: 'quarterly report.pdf', via: 'fetch' });

// Data made in the page: the kind picks the type and the extension.
await download({ data: 'plain text', filename: 'note' }); // note.txt
await download({ data: { rows: [1, 2, 3] }, filename: 'rows' }); // rows.json
await download({ data: new Uint8Array([0xca, 0xfe]), filename: 'bytes.bin' });
await download({
  data: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>',
  filename: 'empty',
});
const canvas = document.querySelector('canvas');
if (canvas)
  await download({ data: canvas, filename: 'chart', mimeType: 'image/jpeg', quality: 0.9 });

// The conversion alone.
const csv = await toBlob('a,b\n1,2\n', 'text/csv');
console.log(csv.type, csv.size);

// With progress and cancel: a small store.
const dl = createDownloader({ url: '/api/files/3f2a9c', filename: 'big.zip' });
const stop = dl.subscribe(({ status, progress }) => {
  console.log(status, progress.percent ?? `${progress.loaded} bytes`);
});
document.querySelector('#cancel')?.addEventListener('click', () => dl.cancel());
try {
  const blob = await dl.start(); // saved in the browser; `{ save: false }` keeps it to yourself
  console.log('got', blob.size, 'bytes');
} catch (error) {
  console.warn('not downloaded', dl.getState().error ?? error);
} finally {
  stop();
}

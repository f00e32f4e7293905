import { createDropzone, createUploader, extensionForMime } from '@updown/core';

const uploader = createUploader({ endpoint: '/api/files/upload', autoUpload: true });

const dropzone = createDropzone(uploader, {
  // The dialog picks a whole folder; each file keeps `relativePath` ("photos/2024/a.jpg").
  // Dropped folders are walked either way.
  directory: true,
  noClick: false, // click opens the dialog
  noKeyboard: false, // Enter and Space open it; the root is in the tab order
  noPaste: false, // pasting files into the focused root adds them
  // A drag shows types, not names: know that `image/jpeg` is a `.jpg` for `accept: '.jpg'`.
  extensionForMime,
});

const root = document.querySelector<HTMLElement>('.dropzone');
const detach = root ? dropzone.attach(root) : () => {};

// Drag state lives in the uploader's store, beside the items.
uploader.subscribe(({ isDragActive, isDragAccept, isDragReject }) => {
  root?.classList.toggle('active', isDragActive);
  root?.classList.toggle('accept', isDragAccept);
  root?.classList.toggle('reject', isDragReject);
});

// A button elsewhere may open the dialog, from a click handler.
document.querySelector('#browse')?.addEventListener('click', () => dropzone.open());

export function teardown(): void {
  detach();
  dropzone.destroy();
  uploader.destroy();
}

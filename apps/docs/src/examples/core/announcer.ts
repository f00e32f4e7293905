import { createAnnouncer, createDropzone, createUploader } from '@updown/core';

const uploader = createUploader({ endpoint: '/api/files/upload', autoUpload: true });
const zone = document.querySelector<HTMLElement>('#drop-zone');
const status = document.querySelector<HTMLElement>('#upload-status');

if (zone && status) {
  // The zone gets role="button", tabindex="0" (aria-disabled="true" when disabled);
  // its accessible name is yours: aria-label, or aria-labelledby pointing at its title.
  zone.setAttribute('aria-labelledby', 'drop-zone-title');
  createDropzone(uploader).attach(zone);
  // role="status", aria-live="polite", aria-atomic="true", then one sentence per change.
  createAnnouncer(uploader, {
    messages: {
      'files-uploaded': (d) =>
        d.count === 1 ? `${d.name} is online.` : `${d.count} files are online.`,
    },
  }).attach(status);
}

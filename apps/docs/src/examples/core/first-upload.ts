import { createDropzone, createUploader } from '@updown/core';
import { rules } from '../shared/rules';

const uploader = createUploader({ endpoint: '/api/files/upload', rules });

// Drops, pastes, clicks and Enter/Space on the element all end in `uploader.add()`.
const root = document.querySelector<HTMLElement>('#dropzone');
if (root) createDropzone(uploader).attach(root);

uploader.subscribe((state) => {
  for (const item of state.items) console.log(item.name, item.status, `${item.progress.percent}%`);
  for (const { file, errors } of state.rejected) console.warn(file.name, errors[0]?.message);
});

document.querySelector('#upload')?.addEventListener('click', () => void uploader.upload());

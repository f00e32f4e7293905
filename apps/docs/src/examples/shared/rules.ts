import { defineRules } from '@updown/core';

// One object for the browser and the server: import it on both sides.
export const rules = defineRules({
  // What <input accept> takes, an array of it, or react-dropzone's { 'image/png': ['.png'] }.
  accept: ['image/*', 'application/pdf', '.md'],
  maxSize: 50 * 1024 * 1024, // bytes, inclusive
  minSize: 1,
  maxFiles: 5,
  // Your own check, sync or async: return nothing when the file is fine.
  validate(file) {
    if (file.name.startsWith('.')) return 'Hidden files are not accepted';
    return undefined;
  },
});

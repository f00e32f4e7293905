import { defineRules } from '@updown/core/rules';

// One module for the browser and the server: both import these objects, so both sides judge
// a file alike. `@updown/core/rules` holds no DOM type, so a server-only project compiles it.

/** Attachments: what `/api/files` takes. */
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

/** Avatars: one picture at a time, what `/api/avatars` takes. */
export const avatarRules = defineRules({
  accept: 'image/*',
  maxSize: 5 * 1024 * 1024,
  maxFiles: 1,
});

import { createUploader, defineRules } from '@updown/core';

// Shared with the server: these messages travel with the rules.
export const rules = defineRules({
  accept: 'image/*,.pdf',
  maxSize: 5 * 1024 * 1024,
  maxFiles: 4,
  messages: {
    'file-invalid-type': '{name} : seuls ces types sont acceptés : {accept}',
    'file-too-large': '{name} pèse {size}, la limite est {maxSize}',
    'too-many-files': '{maxFiles} fichiers au plus',
  },
});

// The browser's own words for what only the browser sees (and the server's answers).
export const uploader = createUploader({
  endpoint: '/api/files/upload',
  rules,
  messages: (code, details) => {
    if (code === 'network-error') return 'Pas de connexion : réessayez.';
    if (details.status === 413) return `${details.name} : refusé par le serveur`;
    return undefined; // every other code keeps the rules' message, then English
  },
});

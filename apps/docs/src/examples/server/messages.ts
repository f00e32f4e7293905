import type { Messages } from '@updown/core/rules';
import { updown } from '@updown/server-adapters/express';
import { rules } from '../shared/rules';

// The server's answers in the app's language: the `code` stays, the `message` is yours.
const messages: Messages = {
  'file-too-large': 'Trop gros : {maxSize} au plus',
  'file-invalid-type': '« {name} » n’est pas accepté ({accept})',
  forbidden: 'Connectez-vous pour envoyer des fichiers',
  'server-busy': (details) => `Serveur occupé (${details.status}), réessayez dans un instant`,
};

// Mount it as usual: app.use('/api/files', files).
export const files = updown({ rules, messages });

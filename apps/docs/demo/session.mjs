// Who may delete on the demo server: the browser session that uploaded the file. The demo has
// no accounts, so a session is a random cookie set on the first API request; uploads keep it
// (authorize's record, stored with the file) and only requests carrying it may delete,
// resume or terminate that upload. Everyone may still download, as on the demo before.
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'updown-demo-session';

function sessionOf(req) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === SESSION_COOKIE && /^[A-Za-z0-9_-]{22}$/.test(value ?? '')) return value;
  }
  return null;
}

/** Express middleware: `req.demoSession`, minted (and set as a cookie) when the browser has none. */
export function demoSession(req, res, next) {
  let session = sessionOf(req);
  if (!session) {
    session = randomBytes(16).toString('base64url');
    res.append('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`);
  }
  req.demoSession = session;
  next();
}

/** The adapter's `authorize`: uploads remember their session; only it deletes or resumes them. */
export function demoAuthorize({ operation, file, framework: req }) {
  const session = req.demoSession;
  if (operation === 'upload' || operation === 'tus-create') return { session };
  if (operation === 'download') return true;
  // delete, tus-resume, tus-terminate: the uploading session only (403 for anyone else).
  return file?.auth?.session === session;
}

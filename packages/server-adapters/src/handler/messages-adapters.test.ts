import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Messages } from '@updown/core/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskStorage } from '../storage/disk-storage';
import { ALL_ADAPTERS, type RunningApp, startApp } from '../test-support/apps';
import { postMultipart } from '../test-support/client';

// Issue 16: the server's answers speak the app's language too. `messages` rewords every code
// the server answers; the rules' own `messages` word their refusals; English stays the default.

const KiB = 1024;
const FRENCH: Messages = {
  'file-too-large': 'Trop gros : {maxSize} au plus',
  'file-invalid-type': '« {name} » refusé ({type}), attendu : {accept}',
  'too-many-files': 'Pas plus de {maxFiles} fichiers',
  'not-found': 'Fichier introuvable',
  forbidden: 'Interdit ({status})',
};

function file(filename: string, type: string, bytes: number) {
  return { name: 'file', filename, type, data: 'x'.repeat(bytes) };
}

describe.each(ALL_ADAPTERS)('%s server messages', (name) => {
  let root: string;
  let french: RunningApp;
  let english: RunningApp;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `updown-messages-${name}-`));
    const rules = { accept: 'image/png,.png', maxSize: 2 * KiB, maxFiles: 2 };
    french = await startApp(name, {
      options: { storage: diskStorage({ directory: join(root, 'fr') }), rules, messages: FRENCH },
    });
    english = await startApp(name, {
      options: { storage: diskStorage({ directory: join(root, 'en') }), rules },
    });
  });
  afterAll(async () => {
    await french.close();
    await english.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a file cut off at the limit is refused in the replacement words, its limit filled in', async () => {
    const answer = await postMultipart(`${french.base}/upload`, [
      file('a.png', 'image/png', 5 * KiB),
    ]);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual({
      code: 'file-too-large',
      message: 'Trop gros : 2 KiB au plus',
    });
  });

  it('a type refusal names the file, its type and what the rules accept', async () => {
    const answer = await postMultipart(`${french.base}/upload`, [
      file('a.exe', 'application/x-msdownload', 10),
    ]);
    expect(answer.status).toBe(415);
    expect(answer.body.error?.message).toBe(
      '« a.exe » refusé (application/x-msdownload), attendu : image/png, .png',
    );
  });

  it('too many files, a missing file and a refused delete are reworded, with nothing stored', async () => {
    const many = await postMultipart(`${french.base}/upload`, [
      file('1.png', 'image/png', 1),
      file('2.png', 'image/png', 1),
      file('3.png', 'image/png', 1),
    ]);
    expect(many.status).toBe(413);
    expect(many.body.error).toEqual({ code: 'too-many-files', message: 'Pas plus de 2 fichiers' });
    const missing = await fetch(`${french.base}/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      'Fichier introuvable',
    );
    // No authorize: deletes are refused, in the app's words, the status filled in.
    const refused = await fetch(`${french.base}/${'0'.repeat(32)}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'Interdit (403)',
    );
    const kept = (await readdir(join(root, 'fr'))).filter((e) => !e.startsWith('.'));
    expect(kept).toEqual([]);
  });

  it('without messages the answers stay in English', async () => {
    const answer = await postMultipart(`${english.base}/upload`, [
      file('a.png', 'image/png', 5 * KiB),
    ]);
    expect(answer.body.error).toEqual({
      code: 'file-too-large',
      message: 'File is larger than 2 KiB',
    });
  });
});

import type { TestProject } from 'vitest/node';
import { startDocs } from './start-docs';

declare module 'vitest' {
  export interface ProvidedContext {
    docsUrl: string;
    docsDataDir: string;
  }
}

/** One `npm start` for every test file: it builds what it needs, then serves. */
export default async function setup(project: TestProject) {
  const docs = await startDocs();
  project.provide('docsUrl', docs.url);
  project.provide('docsDataDir', docs.dataDir);
  return () => docs.stop();
}

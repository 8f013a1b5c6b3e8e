// Starts the fixture origin once for the whole run and tells the workerd tests where it listens.
import type { TestProject } from 'vitest/node';
import { startFixtureOrigin } from '../fixture-origin/server.ts';

export default async function setup(project: TestProject) {
  const origin = await startFixtureOrigin();
  project.provide('fixtureOrigin', origin.url);
  return () => origin.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureOrigin: string;
  }
}

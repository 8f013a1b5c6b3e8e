// `npm start`: the reader on http://localhost:$PORT (default 8787) with local D1, seeded and refreshed on start.
// ADMIN_TOKEN and ALLOW_PRIVATE_NETWORK come from the environment when set, else from .dev.vars.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot, startReader } from './reader-process.ts';

export async function runReader(options: { vars?: Record<string, string>; persistTo?: string; banner?: string } = {}) {
  const port = Number(process.env.PORT ?? 8787);
  const vars: Record<string, string> = { ...options.vars };
  for (const key of ['ADMIN_TOKEN', 'ALLOW_PRIVATE_NETWORK', 'SEED_OPML_URL', 'REFRESH_BATCH']) {
    const value = process.env[key];
    if (value) vars[key] = value;
  }
  const devVars = resolve(repoRoot, '.dev.vars');
  if (!vars.ADMIN_TOKEN && !existsSync(devVars)) {
    const token = randomBytes(18).toString('base64url');
    writeFileSync(devVars, `# Local secrets for wrangler dev (not committed).\nADMIN_TOKEN=${token}\n`);
    console.log(`No ADMIN_TOKEN was set: wrote a new one to .dev.vars (${token}). Admin API calls need it as a Bearer token.`);
  }

  const reader = await startReader({ port, vars, persistTo: options.persistTo, inheritOutput: true });
  const stopAndExit = () => void reader.stop().then(() => process.exit(0));
  process.once('SIGINT', stopAndExit);
  process.once('SIGTERM', stopAndExit);

  // The first read seeds the default subscriptions and starts a refresh in the background.
  const feeds = await fetch(`${reader.url}/api/feeds`).then((r) => r.json() as Promise<{ feeds: unknown[] }>);
  console.log(`\n${options.banner ?? 'Offline Reader'} is running at http://localhost:${port} with ${feeds.feeds.length} sources; items arrive within seconds.`);
  console.log(`  Latest items: http://localhost:${port}/api/items   Sources: http://localhost:${port}/api/feeds   Health: http://localhost:${port}/healthz\n`);
  await new Promise<void>((r) => reader.process.once('exit', () => r()));
}

if (import.meta.main) {
  runReader().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

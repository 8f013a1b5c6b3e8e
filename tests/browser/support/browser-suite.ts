// What most browser test files start from: the whole system (startStack: the fixture origin and the real reader,
// subscribed to the sample site), the sample site's article items, and one Chromium; started before the file's
// tests and closed after them. A file's own beforeAll, registered after this, runs after it.
import { afterAll, beforeAll } from 'vitest';
import type { ItemSummary } from '../../../contract/http.ts';
import { articleItems } from './articles.ts';
import { launchChromium, type LaunchedBrowser, type LaunchOptions } from './chromium.ts';
import { startStack, type Stack } from './stack.ts';

export interface BrowserSuite {
  stack: Stack;
  browser: LaunchedBrowser;
  /** The sample site's items whose links are article pages, newest first. */
  items: ItemSummary[];
  /** One of them, or an error that says the sample site has too few. */
  item(index: number): ItemSummary;
}

export function browserSuite(
  options: { stack?: Parameters<typeof startStack>[0]; browser?: LaunchOptions } = {},
): BrowserSuite {
  const suite = {
    item(index: number): ItemSummary {
      const found = suite.items[index];
      if (!found) throw new Error(`the sample site has fewer than ${index + 1} article items`);
      return found;
    },
  } as BrowserSuite;
  beforeAll(async () => {
    suite.stack = await startStack(options.stack);
    suite.items = await articleItems(suite.stack.site);
    suite.browser = await launchChromium(options.browser);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.stack?.stop();
  });
  return suite;
}

// GET /read/:id: the readable article, rendered on the server and readable without JavaScript, under a strict CSP
// (nothing inline, everything from our own origin), so even a sanitiser slip could not run script in the page.
import { Hono } from 'hono';
import { ArticleFailure } from '../articles/article-failure.ts';
import { articleFetchSettings } from '../articles/article-settings.ts';
import { articleForItem } from '../articles/get-article.ts';
import { renderArticleHtml } from '../articles/render-article-html.ts';
import { retryAfterSeconds } from '../api/article-failure-status.ts';
import { ARTICLE_CACHE_CONTROL } from '../api/articles-routes.ts';
import { getItemForArticle } from '../store/articles-store.ts';
import { pageSecurity } from '../middleware/page-security.ts';
import { MissingArticlePage, ReadPage, UnavailableArticlePage } from './read-page.tsx';

export const readRoutes = new Hono<{ Bindings: Env }>();

readRoutes.use('*', pageSecurity());

readRoutes.get('/:id', async (c) => {
  const item = await getItemForArticle(c.env.DB, c.req.param('id'));
  if (!item) return c.html(<MissingArticlePage />, 404, { 'Cache-Control': 'no-store' });
  try {
    const article = await articleForItem(c.env.DB, item.id, articleFetchSettings(c.env), Date.now());
    if (!article) return c.html(<MissingArticlePage />, 404, { 'Cache-Control': 'no-store' });
    return c.html(<ReadPage item={item} article={article.view} />, 200, { 'Cache-Control': ARTICLE_CACHE_CONTROL });
  } catch (error) {
    if (!(error instanceof ArticleFailure) || (error.reason !== 'gone' && error.reason !== 'upstream')) throw error;
    const feedContent = item.feedContentHtml ? renderArticleHtml(item.feedContentHtml, item.contentBaseUrl) : null;
    const retryAfter = error.reason === 'upstream' ? retryAfterSeconds(error) : null;
    const page = (
      <UnavailableArticlePage
        item={item}
        reason={error.reason}
        message={error.message}
        retryAfterSeconds={retryAfter}
        feedContentHtml={feedContent?.contentHtml.trim() ? feedContent.contentHtml : null}
      />
    );
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
    return c.html(page, error.reason === 'gone' ? 404 : 502, headers);
  }
});

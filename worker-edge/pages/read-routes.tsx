// GET /read/:id: the readable article, rendered on the server and readable without JavaScript, under a strict CSP
// (nothing inline, everything from our own origin), so even a sanitiser slip could not run script in the page.
import { Hono, type Context } from 'hono';
import { ArticleFailure } from '../articles/article-failure.ts';
import { articleFetchSettings } from '../jobs/article-settings.ts';
import { articleForItem } from '../jobs/get-article.ts';
import { renderStoredFeedHtml } from '../articles/render-article-html.ts';
import { retryAfterSeconds } from '../api/article-failure-status.ts';
import { ARTICLE_CACHE_CONTROL } from '../api/articles-routes.ts';
import { getArticle, getItemForArticle } from '../store/articles-store.ts';
import { neighbourItems } from '../store/items-store.ts';
import { pageSecurity } from '../middleware/page-security.ts';
import { toArticleView } from '../api/views.ts';
import { ArticlePage, MissingArticlePage, NO_NEIGHBOURS, UnavailableArticlePage } from './read-page.tsx';

export const readRoutes = new Hono<{ Bindings: Env }>();

/** A page saved by its address (shared to the app) has an article but no item: it is read the same way. */
async function pageArticle(c: Context<{ Bindings: Env }>, id: string): Promise<Response> {
  const stored = await getArticle(c.env.DB, id);
  if (!stored) return c.html(<MissingArticlePage />, 404, { 'Cache-Control': 'no-store' });
  const page = <ArticlePage article={toArticleView(stored.article)} feedTitle={null} neighbours={NO_NEIGHBOURS} />;
  return c.html(page, 200, { 'Cache-Control': ARTICLE_CACHE_CONTROL });
}

readRoutes.use('*', pageSecurity());

readRoutes.get('/:id', async (c) => {
  const item = await getItemForArticle(c.env.DB, c.req.param('id'));
  if (!item) return pageArticle(c, c.req.param('id'));
  // Asked once, for the article and for the page that says it is unavailable alike.
  const nearby = neighbourItems(c.env.DB, item.id);
  try {
    const [article, neighbours] = await Promise.all([
      articleForItem(c.env.DB, item.id, articleFetchSettings(c.env), Date.now(), item),
      nearby,
    ]);
    if (!article) return c.html(<MissingArticlePage />, 404, { 'Cache-Control': 'no-store' });
    return c.html(
      <ArticlePage article={toArticleView(article.article)} feedTitle={item.feedTitle} neighbours={neighbours} />,
      200,
      { 'Cache-Control': ARTICLE_CACHE_CONTROL },
    );
  } catch (error) {
    if (!(error instanceof ArticleFailure) || (error.reason !== 'gone' && error.reason !== 'upstream')) throw error;
    const feedContent = item.feedContentHtml ? renderStoredFeedHtml(item.feedContentHtml) : null;
    const retryAfter = error.reason === 'upstream' ? retryAfterSeconds(error) : null;
    const page = (
      <UnavailableArticlePage
        item={item}
        reason={error.reason}
        message={error.message}
        retryAfterSeconds={retryAfter}
        feedContentHtml={feedContent?.contentHtml.trim() ? feedContent.contentHtml : null}
        neighbours={await nearby}
      />
    );
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
    return c.html(page, error.reason === 'gone' ? 404 : 502, headers);
  }
});

// GET /api/articles/:id (an item's readable article) and GET /api/articles?url= (any public page), with ETag / 304.
import { Hono, type Context } from 'hono';
import { articleFetchSettings } from '../jobs/article-settings.ts';
import { articleForItem, articleForUrl } from '../jobs/get-article.ts';
import { getArticle, type StoredArticle } from '../store/articles-store.ts';
import { ApiFailure } from './api-failure.ts';
import { answeringArticleFailures } from './article-failure-status.ts';
import { ifNoneMatchIncludes, notModified } from './conditional-get.ts';
import type { ArticleView } from '../../contract/http.ts';
import { toArticleView } from './views.ts';

/** Articles change only when their item does: caches may keep them an hour and serve them stale while checking. */
export const ARTICLE_CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400';

export const articlesRoutes = new Hono<{ Bindings: Env }>();

function articleResponse(c: Context, article: StoredArticle): Response {
  if (ifNoneMatchIncludes(c.req.header('If-None-Match'), article.etag))
    return notModified(article.etag, ARTICLE_CACHE_CONTROL);
  const view: ArticleView = toArticleView(article.article);
  return c.json(view, 200, { ETag: article.etag, 'Cache-Control': ARTICLE_CACHE_CONTROL });
}

articlesRoutes.get('/', async (c) => {
  const url = c.req.query('url');
  if (!url) throw new ApiFailure(400, 'invalid_url', 'Give the page as ?url=<absolute http(s) address>.');
  const article = await answeringArticleFailures(() =>
    articleForUrl(c.env.DB, url, articleFetchSettings(c.env), Date.now()),
  );
  return articleResponse(c, article);
});

articlesRoutes.get('/:id', async (c) => {
  const article = await answeringArticleFailures(() =>
    articleForItem(c.env.DB, c.req.param('id'), articleFetchSettings(c.env), Date.now()),
  );
  // A page saved by its address (shared to the app) has an article of its own id and no item.
  const page = article ?? (await getArticle(c.env.DB, c.req.param('id')));
  if (!page) throw new ApiFailure(404, 'not_found', 'No item has that id; it may have been removed from its feed.');
  return articleResponse(c, page);
});

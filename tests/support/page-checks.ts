// What every HTML page of the reading site must be: HTML, under the strict page CSP, with nothing inline that the
// CSP would have to allow (no inline script or style, no handler attributes, no style attributes).
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';
import { callApp } from './call-app.ts';

export const PAGE_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];

export type PageDocument = ReturnType<typeof parseHTML>['document'];

export interface LoadedPage {
  res: Response;
  html: string;
  document: PageDocument;
  /** The page's visible text, whitespace collapsed. */
  text: string;
}

export async function loadPage(path: string, status = 200): Promise<LoadedPage> {
  const res = await callApp(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  const { document } = parseHTML(html);
  return { res, html, document, text: (document.body.textContent ?? '').replace(/\s+/g, ' ').trim() };
}

export function expectStrictPage({ res, html, document }: LoadedPage): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  for (const directive of PAGE_CSP_DIRECTIVES) expect(csp).toContain(directive);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  const scripts = [...document.querySelectorAll('script')].map((s) => [
    s.getAttribute('src'),
    s.getAttribute('type'),
    s.textContent,
  ]);
  expect(scripts).toEqual([['/app.js', 'module', '']]);
  expect(document.querySelectorAll('style, [style]')).toHaveLength(0);
  for (const element of document.querySelectorAll('*')) {
    for (const name of element.getAttributeNames()) expect(name, element.outerHTML.slice(0, 120)).not.toMatch(/^on/);
  }
  expect(html).not.toMatch(/javascript:/i);
  // Standards mode, and a line for search results: an independent audit (Lighthouse) fails pages without either.
  expect(html.slice(0, 15).toLowerCase()).toBe('<!doctype html>');
  expect(document.querySelector('meta[name="description"]')?.getAttribute('content')?.length ?? 0).toBeGreaterThan(20);
}

/** Landmarks every page has: one main, one banner with the navigation, a skip link, one h1. */
export function expectLandmarks(document: PageDocument): void {
  expect(document.querySelectorAll('main#main')).toHaveLength(1);
  expect(document.querySelector('header.site-header nav[aria-label="Main"]')).not.toBeNull();
  expect(document.querySelector('a.skip-link[href="#main"]')).not.toBeNull();
  expect(document.querySelectorAll('h1')).toHaveLength(1);
  expect(document.documentElement.getAttribute('lang')).toBe('en');
  expect(document.querySelector('link[rel="manifest"]')?.getAttribute('href')).toBe('/manifest.webmanifest');
}

import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { discoverFeedLinks, looksLikeHtml } from '../../worker-edge/feeds/autodiscover.ts';

const page = (head: string, body = '<p>Hello</p>') =>
  `<!DOCTYPE html>\n<html lang="en">\n<head>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`;

describe('discoverFeedLinks on the heads that publishing tools write', () => {
  it('WordPress: site and comment feeds, not the REST API, oEmbed or RSD links', () => {
    const html = page(`<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Quayside Journal &#8211; Notes from the harbour</title>
<meta name='robots' content='max-image-preview:large' />
<link rel='dns-prefetch' href='//fonts.googleapis.com' />
<link rel="alternate" type="application/rss+xml" title="Quayside Journal &raquo; Feed" href="https://quayside.example/feed/" />
<link rel="alternate" type="application/rss+xml" title="Quayside Journal &raquo; Comments Feed" href="https://quayside.example/comments/feed/" />
<link rel="alternate" type="application/rss+xml" title="Quayside Journal &raquo; Tide tables Comments Feed" href="https://quayside.example/2026/11/tide-tables/feed/" />
<script>
window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/","ext":".png","source":{"concatemoji":"https:\\/\\/quayside.example\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver=6.6"}};
document.write('<link rel="alternate" type="application/rss+xml" href="/written-by-script/">');
</script>
<style id='wp-block-library-inline-css'>
.wp-block-button__link{color:#fff} /* <link rel="alternate" type="application/rss+xml" href="/in-css/"> */
</style>
<link rel='stylesheet' id='twentytwentyfour-style-css' href='https://quayside.example/wp-content/themes/twentytwentyfour/style.css?ver=1.2' media='all' />
<link rel="https://api.w.org/" href="https://quayside.example/wp-json/" />
<link rel="alternate" title="JSON" type="application/json" href="https://quayside.example/wp-json/wp/v2/posts/1187" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="https://quayside.example/xmlrpc.php?rsd" />
<link rel="canonical" href="https://quayside.example/2026/11/tide-tables/" />
<link rel='shortlink' href='https://quayside.example/?p=1187' />
<link rel="alternate" title="oEmbed (JSON)" type="application/json+oembed" href="https://quayside.example/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fquayside.example%2F2026%2F11%2Ftide-tables%2F" />
<link rel="alternate" title="oEmbed (XML)" type="text/xml+oembed" href="https://quayside.example/wp-json/oembed/1.0/embed?url=https%3A%2F%2Fquayside.example%2F2026%2F11%2Ftide-tables%2F&#038;format=xml" />`);
    expect(discoverFeedLinks(html, 'https://quayside.example/2026/11/tide-tables/')).toEqual([
      { url: 'https://quayside.example/feed/', title: 'Quayside Journal » Feed', type: 'application/rss+xml' },
      {
        url: 'https://quayside.example/comments/feed/',
        title: 'Quayside Journal » Comments Feed',
        type: 'application/rss+xml',
      },
      {
        url: 'https://quayside.example/2026/11/tide-tables/feed/',
        title: 'Quayside Journal » Tide tables Comments Feed',
        type: 'application/rss+xml',
      },
    ]);
  });

  it('Blogger: Atom then RSS, not the posting service link', () => {
    const html = page(`<meta content='width=device-width, initial-scale=1' name='viewport'/>
<title>Night Notes</title>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='https://nightnotes.blogspot.com/favicon.ico' rel='icon' type='image/x-icon'/>
<link href='https://nightnotes.blogspot.com/' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="Night Notes - Atom" href="https://nightnotes.blogspot.com/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="Night Notes - RSS" href="https://nightnotes.blogspot.com/feeds/posts/default?alt=rss" />
<link rel="service.post" type="application/atom+xml" title="Night Notes - Atom" href="https://www.blogger.com/feeds/4419872310/posts/default" />
<link rel="me" href="https://www.blogger.com/profile/0291837465" />
<link rel="openid.server" href="https://www.blogger.com/openid-server.g" />`);
    expect(discoverFeedLinks(html, 'https://nightnotes.blogspot.com/')).toEqual([
      {
        url: 'https://nightnotes.blogspot.com/feeds/posts/default',
        title: 'Night Notes - Atom',
        type: 'application/atom+xml',
      },
      {
        url: 'https://nightnotes.blogspot.com/feeds/posts/default?alt=rss',
        title: 'Night Notes - RSS',
        type: 'application/rss+xml',
      },
    ]);
  });

  it('Ghost', () => {
    const html = page(`<title>Field Journal</title>
<meta name="HandheldFriendly" content="True" />
<link rel="icon" href="https://field.example/favicon.png" type="image/png">
<link rel="canonical" href="https://field.example/">
<meta name="referrer" content="no-referrer-when-downgrade">
<meta property="og:site_name" content="Field Journal">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite","url":"https://field.example/"}</script>
<meta name="generator" content="Ghost 5.96">
<link rel="alternate" type="application/rss+xml" title="Field Journal" href="https://field.example/rss/">
<script defer src="https://cdn.jsdelivr.net/ghost/portal@~2.44/umd/portal.min.js" data-i18n="true" data-ghost="https://field.example/" crossorigin="anonymous"></script>`);
    expect(discoverFeedLinks(html, 'https://field.example/')).toEqual([
      { url: 'https://field.example/rss/', title: 'Field Journal', type: 'application/rss+xml' },
    ]);
  });

  it('Hugo: the RSS output, not the translations', () => {
    const html = page(`<meta name="generator" content="Hugo 0.139.0">
<title>Workbench Log</title>
<link rel="alternate" type="application/rss+xml" href="https://bench.example/index.xml" title="Workbench Log">
<link rel="alternate" hreflang="en" href="https://bench.example/">
<link rel="alternate" hreflang="fr" href="https://bench.example/fr/">
<link rel="stylesheet" href="/css/main.min.5f9e2c.css" integrity="sha256-Xy1b" crossorigin="anonymous">`);
    expect(discoverFeedLinks(html, 'https://bench.example/')).toEqual([
      { url: 'https://bench.example/index.xml', title: 'Workbench Log', type: 'application/rss+xml' },
    ]);
  });

  it('Jekyll (jekyll-feed): a root-relative Atom link, attributes in another order', () => {
    const html = page(`<!-- Begin Jekyll SEO tag v2.8.0 -->
<title>Pocket Garden | A small garden on a balcony</title>
<meta name="generator" content="Jekyll v4.3.4" />
<!-- End Jekyll SEO tag -->
<link rel="stylesheet" href="/assets/main.css"><link type="application/atom+xml" rel="alternate" href="/feed.xml" title="Pocket Garden" />`);
    expect(discoverFeedLinks(html, 'https://garden.example/2026/11/02/bulbs.html')).toEqual([
      { url: 'https://garden.example/feed.xml', title: 'Pocket Garden', type: 'application/atom+xml' },
    ]);
  });

  it('a micro-blog announcing RSS, JSON Feed (both media types) and RDF, kept in page order', () => {
    const html =
      page(`<link rel="alternate" type="application/json" title="JSON Feed" href="https://short.example/feed.json" />
<link rel="alternate" type="application/rss+xml" title="RSS" href="https://short.example/feed.xml" />
<link rel="alternate" type="application/feed+json" title="JSON Feed 1.1" href="https://short.example/feed11.json" />
<link rel="alternate" type="application/rdf+xml" title="RSS 1.0" href="https://short.example/index.rdf" />`);
    expect(discoverFeedLinks(html, 'https://short.example/').map((f) => [f.type, f.url])).toEqual([
      ['application/json', 'https://short.example/feed.json'],
      ['application/rss+xml', 'https://short.example/feed.xml'],
      ['application/feed+json', 'https://short.example/feed11.json'],
      ['application/rdf+xml', 'https://short.example/index.rdf'],
    ]);
  });
});

describe('discoverFeedLinks on awkward markup', () => {
  const awkward = page(
    `<LINK REL=ALTERNATE TYPE=APPLICATION/RSS+XML HREF=/unquoted.xml TITLE=Bare>
<link rel='alternate' type='application/atom+xml' href='single.atom' title='It&apos;s "quoted"'>
<link
    rel="home   Alternate"
    type = "application/rss+xml; charset=utf-8"
    title="a > b &amp; c"
    href="
      /spaced.xml  "
>
<link rel="alternate" type="application/rss+xml" href="/feed?lang=en&notify=1&amp;x=2&copy=3" title="query">
<link rel=alternate type=application/atom+xml href=//cdn.example.net/protocol-relative.atom/>
<!-- <link rel="alternate" type="application/rss+xml" href="/commented.xml"> -->
<script type="text/template"><link rel="alternate" type="application/rss+xml" href="/template.xml"></script>
<template><link rel="alternate" type="application/rss+xml" href="/inert.xml"></template>
<title>Feeds <link rel="alternate" type="application/rss+xml" href="/in-title.xml"></title>
<link rel="alternate stylesheet" type="text/css" href="/dark.css" title="Dark">
<link rel="alternatefeed" type="application/rss+xml" href="/not-the-token.xml">
<link rel="alternate" type="application/rss+xml">
<link rel="alternate" type="application/rss+xml" href="">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="data:application/rss+xml,%3Crss%2F%3E">
<link rel="alternate" type="application/rss+xml" href="ftp://files.example/feed.xml">
<link rel="alternate" type="application/rss+xml" href="mailto:editor@site.example">
<link rel="alternate" type="application/rss+xml" href="https://site.example/unquoted.xml" title="again, absolute">
<link rel="alternate" type="application/rss+xml" href="/unquoted.xml" title="again, relative">`,
    `<textarea><link rel="alternate" type="application/rss+xml" href="/in-textarea.xml"></textarea>
<p>Subscribe: <a href="/unlisted.xml" rel="alternate" type="application/rss+xml">RSS</a></p>
<link rel="alternate" type="application/atom+xml" href="/late-in-body.atom" title="Late">`,
  );

  it('reads any quoting and case, decodes references as HTML does, skips what a browser would not see as a link', () => {
    expect(discoverFeedLinks(awkward, 'https://site.example/blog/post.html')).toEqual([
      { url: 'https://site.example/unquoted.xml', title: 'Bare', type: 'application/rss+xml' },
      { url: 'https://site.example/blog/single.atom', title: `It's "quoted"`, type: 'application/atom+xml' },
      { url: 'https://site.example/spaced.xml', title: 'a > b & c', type: 'application/rss+xml' },
      { url: 'https://site.example/feed?lang=en&notify=1&x=2&copy=3', title: 'query', type: 'application/rss+xml' },
      { url: 'https://cdn.example.net/protocol-relative.atom/', title: null, type: 'application/atom+xml' },
      { url: 'https://site.example/late-in-body.atom', title: 'Late', type: 'application/atom+xml' },
    ]);
  });

  it('finds nothing in a page without feeds, in an empty string or in a feed', () => {
    expect(
      discoverFeedLinks(page('<title>No feeds</title><link rel="stylesheet" href="/s.css">'), 'https://a.example/'),
    ).toEqual([]);
    expect(discoverFeedLinks('', 'https://a.example/')).toEqual([]);
    expect(
      discoverFeedLinks(
        '<rss version="2.0"><channel><link>https://a.example/</link></channel></rss>',
        'https://a.example/',
      ),
    ).toEqual([]);
  });

  it('survives unterminated comments, scripts and attributes', () => {
    const link = '<link rel="alternate" type="application/rss+xml" href="/ok.xml">';
    expect(discoverFeedLinks(`${link}<!-- never closed ${link}`, 'https://a.example/')).toHaveLength(1);
    expect(discoverFeedLinks(`${link}<script>never closed ${link}`, 'https://a.example/')).toHaveLength(1);
    expect(
      discoverFeedLinks(`${link}<link rel="alternate" type="application/rss+xml" href="/cut`, 'https://a.example/'),
    ).toEqual([
      { url: 'https://a.example/ok.xml', title: null, type: 'application/rss+xml' },
      { url: 'https://a.example/cut', title: null, type: 'application/rss+xml' },
    ]);
  });
});

describe('discoverFeedLinks with <base href>', () => {
  const links =
    '<link rel="alternate" type="application/rss+xml" href="feed.xml"><link rel="alternate" type="application/atom+xml" href="/atom.xml">';

  it('resolves against an absolute base', () => {
    const html = page(`<base href="https://cdn.example.com/blog/">${links}`);
    expect(discoverFeedLinks(html, 'https://www.example.com/a/b.html').map((f) => f.url)).toEqual([
      'https://cdn.example.com/blog/feed.xml',
      'https://cdn.example.com/atom.xml',
    ]);
  });

  it('applies to links before it, and only the first base with an href counts', () => {
    const html = page(`${links}<base target="_blank"><BASE HREF="/sub/dir/"><base href="https://other.example/">`);
    expect(discoverFeedLinks(html, 'https://www.example.com/a/b.html').map((f) => f.url)).toEqual([
      'https://www.example.com/sub/dir/feed.xml',
      'https://www.example.com/atom.xml',
    ]);
  });

  it('falls back to the page URL when the base is not http(s) or sits in a comment', () => {
    for (const base of [
      '<base href="javascript:alert(1)">',
      '<base href="data:text/html,x">',
      '<!-- <base href="https://x.example/"> -->',
    ]) {
      expect(discoverFeedLinks(page(base + links), 'https://www.example.com/a/b.html').map((f) => f.url)).toEqual([
        'https://www.example.com/a/feed.xml',
        'https://www.example.com/atom.xml',
      ]);
    }
  });
});

describe('looksLikeHtml', () => {
  it.each([
    ['<!DOCTYPE html><html><head></head></html>', true],
    ['\uFEFF\n  <!doctype HTML>\n<title>x</title>', true],
    [
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">',
      true,
    ],
    ['<!-- served by nginx -->\n<HTML><HEAD><TITLE>Old</TITLE></HEAD></HTML>', true],
    ['<head><meta charset="utf-8"><link rel="alternate" type="application/rss+xml" href="/feed"></head>', true],
    ['<meta http-equiv="refresh" content="0; url=/new/">', true],
    [
      '<?xml version="1.0"?>\n<rss version="2.0"><channel><description><![CDATA[<html><body>hi</body></html>]]></description></channel></rss>',
      false,
    ],
    [
      '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/xsl" href="/pretty-feed.xsl"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
      false,
    ],
    [
      '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"></rdf:RDF>',
      false,
    ],
    [
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"></rss>',
      false,
    ],
    ['{"version":"https://jsonfeed.org/version/1.1","title":"<html>","items":[]}', false],
    ['<opml version="2.0"><head/><body/></opml>', false],
    ['', false],
    ['Service Unavailable', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeHtml(text)).toBe(expected);
  });

  it('takes none of the shared feed fixtures for a page', async () => {
    const files = (
      (await (await fetch(`${env.FIXTURE_ORIGIN}/__list/shared/gofeed/testdata`)).json()) as string[]
    ).filter((name) => /\.(xml|json)$/.test(name));
    expect(files.length).toBeGreaterThan(500);
    const pages: string[] = [];
    for (const name of files) {
      const text = await (await fetch(`${env.FIXTURE_ORIGIN}/shared/gofeed/testdata/${name}`)).text();
      if (looksLikeHtml(text)) pages.push(name);
    }
    expect(pages).toEqual([]);
  });
});

// Folders through OPML: nested outlines and the `category` attribute become folders on import, export writes them
// back as nested outlines, and a round trip (import, export, import into an empty database) keeps every folder,
// for hand-written lists and the real reader exports in the shared fixtures.
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FeedsResponse, NO_FOLDER_FILTER, type OpmlImportResult } from '../../contract/http.ts';
import { folderPageUrl } from '../../contract/paths.ts';
import { loadPage } from '../support/page-checks.ts';
import { folderFromCategory, folderFromPath } from '../../worker-edge/feeds/folder-name.ts';
import { parseOpml, renderOpml } from '../../worker-edge/feeds/opml.ts';
import { SEEDED_KEY } from '../../worker-edge/jobs/seed-default-feeds.ts';
import { setMeta } from '../../worker-edge/store/meta-store.ts';
import { adminHeaders, callApp } from '../support/call-app.ts';
import { queueDriver } from '../support/queue-driver.ts';
import { resetDatabase } from '../support/reset-database.ts';

const opml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>t</title></head><body>${body}</body></opml>`;
const folders = (text: string) => parseOpml(text).outlines.map((o) => [o.title, o.folder]);

describe('folders on import', () => {
  it('nesting: a feed is filed by the path of the folder outlines around it', () => {
    expect(
      folders(
        opml(`
          <outline text="Loose" xmlUrl="https://a.example/feed"/>
          <outline text="News">
            <outline text="BBC" type="rss" xmlUrl="https://b.example/feed"/>
            <outline text="World">
              <outline text="Reuters" type="rss" xmlUrl="https://c.example/feed"/>
            </outline>
          </outline>
          <outline text="Sport"><outline text="World"><outline text="FIFA" xmlUrl="https://d.example/feed"/></outline></outline>`),
      ),
    ).toEqual([
      ['Loose', null],
      ['BBC', 'News'],
      // Two folders called "World" in different places stay two.
      ['Reuters', 'News / World'],
      ['FIFA', 'Sport / World'],
    ]);
  });

  it('deep nesting keeps the whole path; an unnamed outline adds no step; a path over 100 characters keeps its innermost folders', () => {
    const long = 'L'.repeat(60);
    expect(
      folders(
        opml(`
          <outline text="A"><outline text="B"><outline text="C"><outline text="D"><outline text="E">
            <outline text="deep" xmlUrl="https://a.example/feed"/>
          </outline></outline></outline></outline></outline>
          <outline><outline text="  Spaced \t  out "><outline text="named" xmlUrl="https://b.example/feed"/></outline></outline>
          <outline text="${long}"><outline text="${long}"><outline text="Inner"><outline text="long" xmlUrl="https://c.example/feed"/></outline></outline></outline>
          <outline text="${'M'.repeat(130)}"><outline text="huge" xmlUrl="https://d.example/feed"/></outline>`),
      ),
    ).toEqual([
      ['deep', 'A / B / C / D / E'],
      ['named', 'Spaced out'],
      ['long', `${long} / Inner`],
      ['huge', 'M'.repeat(100)],
    ]);
  });

  it('category: the first category, and of a "/Boston/Weather" path its first segment', () => {
    expect(
      folders(
        opml(`
          <outline text="tag" xmlUrl="https://a.example/feed" category="Tech,News"/>
          <outline text="path" xmlUrl="https://b.example/feed" category="/Boston/Weather,/Harvard/Berkman"/>
          <outline text="spaced" xmlUrl="https://c.example/feed" category=" , /Tourism/New York "/>
          <outline text="empty" xmlUrl="https://d.example/feed" category=" / "/>
          <outline text="none" xmlUrl="https://e.example/feed"/>`),
      ),
    ).toEqual([
      ['tag', 'Tech'],
      ['path', 'Boston'],
      ['spaced', 'Tourism'],
      ['empty', null],
      ['none', null],
    ]);
  });

  it('both: the enclosing folders win over the category; at the top level the category files the feed', () => {
    expect(
      folders(
        opml(`
          <outline text="Reading"><outline text="inside" xmlUrl="https://a.example/feed" category="/Elsewhere"/></outline>
          <outline text="outside" xmlUrl="https://b.example/feed" category="/Elsewhere/Deeper"/>`),
      ),
    ).toEqual([
      ['inside', 'Reading'],
      ['outside', 'Elsewhere'],
    ]);
  });

  it('names from files are cleaned the same way every time', () => {
    expect(folderFromPath(['  a\u0007b ', '', 'c  d'])).toBe('ab / c d');
    expect(folderFromPath([])).toBeNull();
    expect(folderFromCategory(undefined)).toBeNull();
    expect(folderFromCategory('//x//y')).toBe('x');
  });
});

describe('folders on export', () => {
  it('writes folders as nested outlines, sorted, loose feeds first, and reads back the same folders', () => {
    const feeds = [
      { url: 'https://a.example/feed', title: 'A', siteUrl: null, folder: 'News / World' },
      { url: 'https://b.example/feed', title: 'B', siteUrl: null, folder: null },
      { url: 'https://c.example/feed', title: 'C', siteUrl: null, folder: 'News' },
      { url: 'https://d.example/feed', title: 'D', siteUrl: null, folder: 'Arts & <Crafts>' },
    ];
    const text = renderOpml(feeds, 'mine');
    expect(
      text
        .split('\n')
        .filter((line) => line.includes('<outline') || line.includes('</outline>'))
        .map((line) => line.trim().slice(0, 40)),
    ).toEqual([
      '<outline type="rss" text="B" title="B" x',
      '<outline text="Arts &amp; &lt;Crafts&gt;',
      '<outline type="rss" text="D" title="D" x',
      '</outline>',
      '<outline text="News" title="News">',
      '<outline type="rss" text="C" title="C" x',
      '<outline text="World" title="World">',
      '<outline type="rss" text="A" title="A" x',
      '</outline>',
      '</outline>',
    ]);
    const again = new Map(parseOpml(text).outlines.map((o) => [o.xmlUrl, o.folder]));
    for (const feed of feeds) expect(again.get(feed.url)).toBe(feed.folder);
  });
});

async function freshDatabase(): Promise<void> {
  await resetDatabase();
  await setMeta(env.DB, SEEDED_KEY, '1');
  await setMeta(env.DB, 'last_refresh_at', String(Date.now()));
}

/** Imports through the API, on a held queue (the fan-out it starts is not consumed). */
async function importOpml(text: string): Promise<OpmlImportResult> {
  const res = await callApp('/api/opml', { method: 'POST', headers: adminHeaders, body: text }, queueDriver().env);
  expect(res.status).toBe(200);
  return (await res.json()) as OpmlImportResult;
}

async function foldersByUrl(): Promise<Map<string, string | null>> {
  const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
  return new Map(feeds.map((f) => [f.url, f.folder]));
}

async function exportOpml(): Promise<string> {
  const res = await callApp('/api/opml');
  expect(res.status).toBe(200);
  return res.text();
}

describe('import and export through the API', () => {
  beforeEach(freshDatabase);

  it('stores each feed in its folder, and GET /api/feeds shows it', async () => {
    await importOpml(
      opml(`<outline text="News"><outline text="World"><outline text="W" xmlUrl="https://w.example/feed"/></outline></outline>
        <outline text="T" xmlUrl="https://t.example/feed" category="/Tech/Gadgets"/><outline text="L" xmlUrl="https://l.example/feed"/>`),
    );
    expect(Object.fromEntries(await foldersByUrl())).toEqual({
      'https://w.example/feed': 'News / World',
      'https://t.example/feed': 'Tech',
      'https://l.example/feed': null,
    });
  });

  it("re-importing files a feed only when it has no folder: the reader's own filing stays", async () => {
    const first = await importOpml(
      opml(
        `<outline text="A" xmlUrl="https://a.example/feed"/><outline text="Old"><outline text="B" xmlUrl="https://b.example/feed"/></outline>`,
      ),
    );
    expect(first).toMatchObject({ added: 2, existing: 0, filed: 0 });
    const again = await importOpml(
      opml(`<outline text="New"><outline text="A" xmlUrl="https://a.example/feed"/><outline text="B" xmlUrl="https://b.example/feed"/>
        <outline text="C" xmlUrl="https://c.example/feed"/></outline>`),
    );
    expect(again).toMatchObject({ added: 1, existing: 2, filed: 1 });
    expect(Object.fromEntries(await foldersByUrl())).toEqual({
      'https://a.example/feed': 'New',
      'https://b.example/feed': 'Old',
      'https://c.example/feed': 'New',
    });
  });

  it('a folder called "No folder" is a folder: imported, filtered apart from the feeds in none, exported', async () => {
    const text = opml(`<outline text="No folder"><outline text="N" xmlUrl="https://n.example/feed"/></outline>
      <outline text="L" xmlUrl="https://l.example/feed"/>`);
    await importOpml(text);
    expect(Object.fromEntries(await foldersByUrl())).toEqual({
      'https://n.example/feed': 'No folder',
      'https://l.example/feed': null,
    });
    // The folder filter tells them apart: the folder by its name, the feeds in none by NO_FOLDER_FILTER.
    const { feeds } = (await (await callApp('/api/feeds')).json()) as FeedsResponse;
    const id = (url: string) => feeds.find((f) => f.url === url)!.id;
    await env.DB.prepare(
      `INSERT INTO items (id, feed_id, title, sort_at, content_hash, first_seen_at, updated_at)
       VALUES ('in-folder', ?1, 'In the folder', 2, 'a', 2, 2), ('in-none', ?2, 'In none', 1, 'b', 1, 1)`,
    )
      .bind(id('https://n.example/feed'), id('https://l.example/feed'))
      .run();
    const shown = async (folder: string) =>
      [...(await loadPage(folderPageUrl(folder))).document.querySelectorAll('.item')].map((li) =>
        li.getAttribute('data-item-id'),
      );
    expect(await shown('No folder')).toEqual(['in-folder']);
    expect(await shown(NO_FOLDER_FILTER)).toEqual(['in-none']);

    // Exported as a folder outline around its feed, the feed in none at the top level; read back the same.
    const exported = await exportOpml();
    expect(exported).toMatch(
      /<outline text="No folder" title="No folder">\s*<outline [^>]*xmlUrl="https:\/\/n\.example\/feed"/,
    );
    expect(new Map(parseOpml(exported).outlines.map((o) => [o.xmlUrl, o.folder]))).toEqual(
      new Map([
        ['https://l.example/feed', null],
        ['https://n.example/feed', 'No folder'],
      ]),
    );
  });

  it('a database from before folders: every feed in no folder, and the export is flat', async () => {
    await env.DB.prepare(
      "INSERT INTO feeds (url, title, created_at) VALUES ('https://old.example/feed', 'Old', 0)",
    ).run();
    expect(Object.fromEntries(await foldersByUrl())).toEqual({ 'https://old.example/feed': null });
    expect(await exportOpml()).not.toMatch(/<outline text=/);
  });
});

async function listShared(dir: string): Promise<string[]> {
  const res = await fetch(`${env.FIXTURE_ORIGIN}/__list/shared/${dir}`);
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}

/** Fixtures are bytes; decode them as their XML declaration says (several say ISO-8859-1). */
async function readShared(path: string): Promise<string> {
  const bytes = await (await fetch(`${env.FIXTURE_ORIGIN}/shared/${path}`)).arrayBuffer();
  const head = new TextDecoder('windows-1252').decode(bytes.slice(0, 200));
  const encoding = /<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}

describe('a round trip of the real OPML fixtures keeps every folder', async () => {
  const files = (await listShared('opml')).filter((name) => name.endsWith('.opml') && !name.includes('malformed'));
  beforeEach(freshDatabase);

  it('has fixtures with folders among them', () => {
    expect(files).toEqual(
      expect.arrayContaining(['opml-go/feedreader/feedly.opml', 'opml-go/feedreader/newsblur.opml']),
    );
  });

  it.each(files)('%s', async (name) => {
    const original = await readShared(`opml/${name}`);
    const expected = new Map(parseOpml(original).outlines.map((o) => [o.xmlUrl, o.folder]));
    await importOpml(original);
    const imported = await foldersByUrl();
    expect(imported).toEqual(expected);

    const exported = await exportOpml();
    await freshDatabase();
    await importOpml(exported);
    expect(await foldersByUrl()).toEqual(imported);
    // And the second export is the same file: nothing drifts from one round to the next.
    expect(await exportOpml()).toBe(exported);
  });

  it('a hand-written list with every kind of folder, the same way', async () => {
    const text = opml(`
      <outline text="Loose" xmlUrl="https://a.example/feed"/>
      <outline text="News"><outline text="N" xmlUrl="https://n.example/feed"/>
        <outline text="World"><outline text="W" xmlUrl="https://w.example/feed"/></outline></outline>
      <outline text="Flat / with slash"><outline text="S" xmlUrl="https://s.example/feed"/></outline>
      <outline text="C" xmlUrl="https://c.example/feed" category="/Boston/Weather"/>
      <outline text="Ünïcödé &amp; &lt;more&gt;"><outline text="U" xmlUrl="https://u.example/feed"/></outline>`);
    await importOpml(text);
    const imported = await foldersByUrl();
    expect([...imported.values()].filter((f) => f !== null).sort()).toEqual(
      ['Boston', 'Flat / with slash', 'News', 'News / World', 'Ünïcödé & <more>'].sort(),
    );
    const exported = await exportOpml();
    await freshDatabase();
    await importOpml(exported);
    expect(await foldersByUrl()).toEqual(imported);
  });
});

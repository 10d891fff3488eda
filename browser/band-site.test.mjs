// The band site in a real browser, against the real binary and its shipped
// catalogue: the discography, an album page, search, the owner's view, and
// keyboard use, each without a console error or a request leaving
// 127.0.0.1. Every page is also photographed at desktop and phone width
// (target/screenshots/band-site-*.png) for a human to look at.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  accessibilityViolations,
  launchBrowser,
  openPage,
  repo,
  runExample,
  screenshotDir,
  startExample,
} from './support.mjs';

const WIDTHS = { desktop: 1280, phone: 375 };

/**
 * The albums and tracks of the shipped catalogue, read from the TOML the
 * musician edits (only the keys these tests need: titles and durations).
 */
async function catalogue() {
  const text = await readFile(path.join(repo, 'examples/band-site/catalogue.toml'), 'utf8');
  const albums = [];
  const months = [];
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(line);
    if (header) {
      section = header[1].trim();
      if (section === 'albums') albums.push({ tracks: [] });
      if (section === 'albums.tracks') albums.at(-1).tracks.push({});
      continue;
    }
    const pair = /^\s*(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair;
    const unescaped = JSON.parse(`"${value}"`);
    if (section === 'albums' && (key === 'title' || key === 'id')) albums.at(-1)[key] = unescaped;
    if (section === 'sales' && key === 'month') months.push(unescaped);
    if (section === 'albums.tracks' && (key === 'title' || key === 'duration')) {
      albums.at(-1).tracks.at(-1)[key] = unescaped;
    }
  }
  assert.ok(albums.length >= 2 && albums.every((a) => a.title && a.tracks.length), 'the catalogue parsed');
  albums.months = months;
  return albums;
}

/** The owner's token, from `band-site tokens` (plain or JSON output). */
async function ownerToken(data) {
  const out = (await runExample('band-site', ['tokens', '--data', data])).trim();
  try {
    const parsed = JSON.parse(out);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const owner = list.find((t) => typeof t === 'object' && t.role !== 'admin') ?? list[0];
    return typeof owner === 'string' ? owner : owner.token;
  } catch {
    const words = out.split(/\s+/);
    return words.at(-1);
  }
}

describe('band site', () => {
  let server;
  let browser;
  let albums;
  let token;

  before(async () => {
    albums = await catalogue();
    server = await startExample('band-site');
    token = await ownerToken(server.data);
    assert.ok(token && token.length >= 16, `an owner token: ${token}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** GETs an API path as JSON from Node, optionally as the owner. */
  async function apiGet(route, withToken) {
    const headers = { Accept: 'application/json' };
    if (withToken) headers.Authorization = `Bearer ${withToken}`;
    const response = await fetch(`${server.url}/api${route}`, { headers });
    return { status: response.status, body: await response.json() };
  }

  /** The API's id of the catalogue album titled `title`. */
  async function albumId(title) {
    const { body } = await apiGet('/albums?per_page=100&fields=id,title');
    const album = body.items.find((a) => a.title === title);
    assert.ok(album, `${title} is served by the API`);
    return album.id;
  }

  /**
   * Opens `hash` at each width once `ready` shows, photographs it, and
   * checks it fits the screen and passes axe-core's accessibility rules,
   * in the light scheme and the dark one.
   */
  async function photograph(name, hash, { ready, signedIn = false } = {}) {
    const looks = [
      ...Object.entries(WIDTHS).map(([label, width]) => ({ label, width })),
      { label: 'dark', width: WIDTHS.desktop, dark: true },
    ];
    for (const { label, width, dark } of looks) {
      const tab = await openPage(browser, { width, height: width > 500 ? 900 : 740 });
      // The dark scheme is checked for contrast too, not photographed.
      if (dark) await tab.page.emulateMedia({ colorScheme: 'dark' });
      if (signedIn) {
        await tab.page.addInitScript((t) => sessionStorage.setItem('band-site.token', t), token);
      }
      await tab.page.goto(`${server.url}/${hash}`);
      await tab.page.locator(ready).first().waitFor();
      await tab.page.waitForLoadState('networkidle');
      if (!dark) {
        const file = path.join(screenshotDir(), `band-site-${name}-${label}.png`);
        await tab.page.screenshot({ path: file, fullPage: true });
      }
      // Nothing is wider than the screen: no sideways scrolling on a phone.
      const overflow = await tab.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px is ${overflow}px too wide`);
      assert.deepEqual(await accessibilityViolations(tab.page), [], `${name} at ${width}px`);
      await tab.assertClean();
      await tab.close();
    }
  }

  test('the discography shows every album of the catalogue, with its cover', async () => {
    const tab = await openPage(browser);
    await tab.page.goto(`${server.url}/`);
    const cards = tab.page.locator('ul.grid > li.card');
    await cards.first().waitFor();
    const titles = await tab.page.locator('.card-title').allInnerTexts();
    assert.deepEqual([...titles].sort(), albums.map((a) => a.title).sort());
    for (const img of await tab.page.locator('.card img.cover').all()) {
      assert.equal(await img.getAttribute('alt'), '', 'the card names the album; its cover is decorative');
      const loaded = await img.evaluate((i) => i.complete && i.naturalWidth > 0);
      assert.ok(loaded, `${await img.getAttribute('src')} loads`);
    }
    assert.equal(await tab.page.locator('nav a[aria-current="page"]').innerText(), 'Discography');
    await tab.assertClean();
    await tab.close();
    await photograph('discography', '#/', { ready: '.card' });
  });

  test('an album page lists its tracks with durations and cover notes', async () => {
    const album = albums[0];
    const tab = await openPage(browser);
    await tab.page.goto(`${server.url}/`);
    await tab.page.locator('.card-link', { hasText: album.title }).click();
    await tab.page.locator('.tracklist').waitFor();
    assert.equal(await tab.page.locator('main h1').innerText(), album.title);
    assert.match(tab.page.url(), /#\/album\/\d+$/);
    const titles = await tab.page.locator('.track-title').allInnerTexts();
    assert.deepEqual(titles, album.tracks.map((t) => t.title));
    const durations = await tab.page.locator('.track-duration').allInnerTexts();
    assert.deepEqual(durations, album.tracks.map((t) => t.duration));
    const { body } = await apiGet(`/albums/${await albumId(album.title)}`);
    // Each cover says what it covers and who wrote it; originals say nothing.
    for (const track of body.tracks) {
      const note = tab.page.locator(`#track-${track.number} .cover-note`);
      if (!track.cover_of) {
        assert.equal(await note.count(), 0, `${track.title} is an original`);
        continue;
      }
      const { title, writers } = track.cover_of;
      const credit = writers.join() === 'Traditional' ? ', traditional' : ` by ${writers.join(' and ')}`;
      assert.equal(await note.innerText(), `Cover of ${title}${credit}`);
    }
    assert.match((await tab.page.locator('.price').innerText()).replace(/\s+/g, ' '), /^Price: \$\d+\.\d\d$/);
    assert.equal(await tab.page.locator('.album-art img').getAttribute('alt'), `Cover art of ${album.title}`);
    assert.equal(await tab.page.locator('.owner-panel').count(), 0);
    await tab.assertClean();
    await tab.close();
    await photograph('album', `#/album/${body.id}`, { ready: '.tracklist' });
  });

  test('search finds a track by a word of its title, live', async () => {
    // A word of one track's title that no album title holds.
    const track = albums.at(-1).tracks.find((t) => t.title.split(' ').some((w) => w.length >= 5));
    const word = track.title.split(' ').filter((w) => w.length >= 5)[0].replace(/\W/g, '');
    const tab = await openPage(browser);
    await tab.page.goto(`${server.url}/#/search`);
    const input = tab.page.getByLabel('Song or album title');
    await input.pressSequentially(word.toLowerCase(), { delay: 30 });
    const hit = tab.page.locator('.result-track', { hasText: track.title });
    await hit.first().waitFor();
    assert.match(await tab.page.locator('#search-status').innerText(), /\d+ albums?, \d+ matching tracks?\./);
    assert.equal(tab.page.url(), `${server.url}/#/search?q=${encodeURIComponent(word.toLowerCase())}`);
    await hit.first().click();
    await tab.page.locator('.tracklist').waitFor();
    assert.equal(await tab.page.locator('main h1').innerText(), albums.at(-1).title);
    // The track found is marked, and has the focus.
    const marked = tab.page.locator('.track.highlight');
    assert.equal(await marked.locator('.track-title').innerText(), track.title);
    assert.equal(await tab.page.evaluate(() => document.activeElement.classList.contains('highlight')), true);
    // Nonsense finds nothing, and says so.
    await tab.page.goto(`${server.url}/#/search?q=zzqxj`);
    await tab.page.locator('#search-status', { hasText: 'Nothing found for “zzqxj”.' }).waitFor();
    assert.equal(await tab.page.locator('.result').count(), 0);
    await tab.assertClean();
    await tab.close();
    await photograph('search', `#/search?q=${encodeURIComponent(word)}`, { ready: '.result-track' });
  });

  test('the revenue shows with the owner token and not without', async () => {
    const title = albums[0].title;
    const id = await albumId(title);
    // The API itself: the public gets no such field, and may not ask for it.
    const anonymous = await apiGet(`/albums/${id}?fields=*`);
    assert.equal(anonymous.status, 200);
    assert.equal('revenue_cents' in anonymous.body, false);
    assert.equal('units_sold' in anonymous.body, false);
    assert.equal((await apiGet(`/albums/${id}?fields=revenue_cents`)).status, 400);
    const owned = await apiGet(`/albums/${id}?fields=revenue_cents,units_sold,price_cents`, token);
    assert.equal(owned.status, 200);
    assert.equal(owned.body.revenue_cents, owned.body.units_sold * owned.body.price_cents);
    const revenue = `$${(owned.body.revenue_cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

    const tab = await openPage(browser);
    await tab.page.goto(`${server.url}/#/album/${id}`);
    await tab.page.locator('.tracklist').waitFor();
    assert.equal(await tab.page.locator('.revenue').count(), 0);
    assert.doesNotMatch(await tab.page.locator('main').innerText(), /Revenue|Units sold/);

    // Log in by pasting the token.
    await tab.page.getByRole('link', { name: 'Owner login' }).click();
    await tab.page.getByLabel('API token').fill(token);
    await tab.page.getByLabel('API token').press('Enter');
    await tab.page.locator('main h1', { hasText: /^Owner$/ }).waitFor();
    assert.ok(await tab.page.locator('.owner-albums').isVisible());
    await tab.page.locator('.owner-albums a', { hasText: title }).click();
    const panel = tab.page.locator('.owner-panel');
    await panel.waitFor();
    assert.equal(await panel.locator('.revenue').innerText(), revenue);
    assert.equal(await panel.locator('.units-sold').innerText(), String(owned.body.units_sold));
    assert.ok((await tab.page.locator('.track .badge').count()) > 0, 'licence states show on covers');

    // A month's royalty statement, as the API computes it.
    let statement;
    for (const month of albums.months) {
      const found = await apiGet(`/albums/${id}/statements/${month}`, token);
      if (found.status === 200 && found.body.lines.length) {
        statement = found.body;
        break;
      }
    }
    assert.ok(statement, `the catalogue has sales of ${title} with royalties due`);
    await panel.getByLabel('Royalty statement for').fill(statement.month);
    await panel.getByRole('button', { name: 'Show' }).click();
    const lines = panel.locator('table.statement-lines tbody tr');
    await lines.first().waitFor();
    assert.equal(await lines.count(), statement.lines.length);
    assert.match(await panel.locator('.statement').innerText(), new RegExp(`Total due: \\$${(statement.total_cents / 100).toFixed(2)}`));

    // Logging out hides it again.
    await tab.page.goto(`${server.url}/#/owner`);
    await tab.page.getByRole('button', { name: 'Log out' }).click();
    await tab.page.locator('.card').first().waitFor();
    await tab.page.goto(`${server.url}/#/album/${id}`);
    await tab.page.locator('.tracklist').waitFor();
    assert.equal(await tab.page.locator('.revenue').count(), 0);
    assert.equal(await tab.page.evaluate(() => sessionStorage.length), 0);
    await tab.assertClean();
    await tab.close();
    await photograph('owner', '#/owner', { ready: '.owner-albums', signedIn: true });
    await photograph('album-owner', `#/album/${id}`, { ready: '.owner-panel', signedIn: true });
    await photograph('login', '#/owner', { ready: '#token-input' });
  });

  test('under a base path (behind a proxy) every link and request stays under it', async () => {
    const proxied = await startExample('band-site', { args: ['--base-path', '/band'] });
    try {
      const tab = await openPage(browser);
      const requested = [];
      tab.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await tab.page.goto(`${proxied.url}/band/`);
      await tab.page.locator('.card-link', { hasText: albums[0].title }).click();
      await tab.page.locator('.tracklist').waitFor();
      const src = await tab.page.locator('.album-art img').getAttribute('src');
      assert.ok(new URL(src, proxied.url).pathname.startsWith('/band/'), src);
      await tab.page.getByRole('link', { name: 'API documentation' }).click();
      await tab.page.locator('table#resource-album').waitFor();
      assert.equal(new URL(tab.page.url()).pathname.startsWith('/band/'), true, tab.page.url());
      for (const pathname of requested) assert.ok(pathname.startsWith('/band/'), pathname);
      await tab.assertClean();
      await tab.close();
    } finally {
      await proxied.stop();
    }
  });

  test('the discography follows the API\'s next links past one page, under a base path', async () => {
    const proxied = await startExample('band-site', { args: ['--base-path', '/band'] });
    try {
      const owner = await ownerToken(proxied.data);
      // 101 drafts beside the catalogue: the owner's list is two pages of 100.
      const extra = 101;
      for (let i = 0; i < extra; i += 1) {
        const created = await fetch(`${proxied.url}/band/api/albums`, {
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${owner}` },
          body: JSON.stringify({ title: `Demo ${String(i).padStart(3, '0')}`, price_cents: 500 }),
        });
        assert.equal(created.status, 201, await created.text());
      }
      const tab = await openPage(browser);
      await tab.page.addInitScript((t) => sessionStorage.setItem('band-site.token', t), owner);
      const lists = [];
      tab.page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.endsWith('/api/albums')) lists.push(url);
      });
      await tab.page.goto(`${proxied.url}/band/`);
      await tab.page.locator('.card').first().waitFor();
      await tab.page.waitForLoadState('networkidle');
      assert.equal(await tab.page.locator('ul.grid > li').count(), albums.length + extra);
      // The first page as the site asks for it, then the API's `next`,
      // under the base path, with the site's sort and fields kept.
      assert.deepEqual(lists.map((url) => url.searchParams.get('page')), [null, '2']);
      for (const url of lists) {
        assert.equal(url.pathname, '/band/api/albums');
        assert.equal(url.searchParams.get('sort'), '-release_date');
        assert.match(url.searchParams.get('fields'), /^id,title,/);
      }
      await tab.assertClean();
      await tab.close();
    } finally {
      await proxied.stop();
    }
  });

  test('the keyboard reaches everything: skip link, cards, focus on new pages', async () => {
    const tab = await openPage(browser);
    await tab.page.goto(`${server.url}/`);
    await tab.page.locator('.card').first().waitFor();
    await tab.page.keyboard.press('Tab');
    assert.equal(await tab.page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await tab.page.keyboard.press('Enter');
    assert.equal(await tab.page.evaluate(() => document.activeElement.id), 'main');
    assert.equal(tab.page.url(), `${server.url}/`, 'the skip link leaves the route alone');
    await tab.page.keyboard.press('Tab');
    const focused = await tab.page.evaluate(() => document.activeElement.className);
    assert.equal(focused, 'card-link');
    // The focus ring is drawn.
    const outline = await tab.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    await tab.page.keyboard.press('Enter');
    await tab.page.locator('.tracklist').waitFor();
    assert.equal(await tab.page.evaluate(() => document.activeElement.tagName), 'H1');
    await tab.assertClean();
    await tab.close();
  });
});

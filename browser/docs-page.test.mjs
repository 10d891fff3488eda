// The licensing example's HTML reference page (/api/docs) in a real
// browser: it renders without a console error, shows the album resource's
// field table with each field's audience, passes axe-core's accessibility
// rules, and needs no network.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityViolations, launchBrowser, openPage, runExample, startExample } from './support.mjs';

describe('licensing /api/docs', () => {
  let server;
  let browser;
  let ownerToken;

  before(async () => {
    server = await startExample('licensing');
    const tokens = JSON.parse(await runExample('licensing', ['tokens', '--data', server.data]));
    ownerToken = ownerOf(tokens);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Each field row of the album table: name → its Read audience. */
  async function albumFields(page) {
    const table = page.locator('table#resource-album');
    const rows = await table.locator('tr[id^="field-album-"]').all();
    const fields = {};
    for (const row of rows) {
      const cells = await row.locator('td').allInnerTexts();
      fields[cells[0]] = cells[2];
    }
    return fields;
  }

  test('the public page has the album field table, without owner fields', async () => {
    const tab = await openPage(browser);
    const response = await tab.page.goto(`${server.url}/api/docs`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/html/);
    assert.match(await tab.page.title(), /^Licensing \d/);
    const heading = tab.page.locator('section.resource h3', { hasText: /^album$/ });
    await heading.waitFor();
    assert.equal(await heading.count(), 1);
    const headers = await tab.page.locator('table#resource-album tr').first().locator('th').allInnerTexts();
    assert.deepEqual(headers, ['Field', 'Description', 'Read', 'Write', 'Default', 'Nested']);
    const fields = await albumFields(tab.page);
    assert.equal(fields.id, 'public');
    assert.equal(fields.title, 'public');
    assert.equal(fields.tracks, 'public');
    assert.equal(fields.revenue_cents, undefined, 'the public does not see revenue');
    assert.equal(fields.units_sold, undefined);
    // The link from an endpoint to its resource lands on the table.
    await tab.page.locator('#endpoint-album a[href="#resource-album"]').click();
    assert.ok((await tab.page.url()).endsWith('#resource-album'));
    assert.deepEqual(await accessibilityViolations(tab.page), []);
    await tab.assertClean();
    await tab.close();
  });

  test("the owner's page marks owner-only fields with their audience", async () => {
    const tab = await openPage(browser, { headers: { Authorization: `Bearer ${ownerToken}` } });
    const response = await tab.page.goto(`${server.url}/api/docs`);
    assert.equal(response.status(), 200);
    const fields = await albumFields(tab.page);
    assert.equal(fields.title, 'public');
    assert.equal(fields.units_sold, 'owner');
    assert.equal(fields.revenue_cents, 'owner');
    assert.equal(fields.licenses, 'owner');
    assert.match(await tab.page.locator('header').innerText(), /audience\s+owner/);
    await tab.assertClean();
    await tab.close();
  });

  test('the page works offline: every request stays on 127.0.0.1', async () => {
    const tab = await openPage(browser, { intercept: true });
    const requested = [];
    tab.page.on('request', (request) => requested.push(request.url()));
    await tab.page.goto(`${server.url}/api/docs`, { waitUntil: 'networkidle' });
    assert.deepEqual(tab.offsite, []);
    for (const url of requested) {
      assert.ok(url.startsWith(`${server.url}/`) || url.startsWith('data:'), url);
    }
    await tab.assertClean();
    await tab.close();
  });
});

/** The token of an artist account among the seeded `tokens`. */
export function ownerOf(tokens) {
  const list = Array.isArray(tokens) ? tokens : Object.values(tokens);
  const artist = list.find((t) => t.role === 'artist' || t.kind === 'artist' || t.artist_id);
  assert.ok(artist, `no artist among the seeded tokens: ${JSON.stringify(tokens)}`);
  return artist.token;
}

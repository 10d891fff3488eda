// Issue 16 in a real browser: the band site's pages and the API docs
// carry their security headers and still work under their
// Content-Security-Policy (a violation fails any test, see support.mjs);
// a script injected into a page is blocked, and the test sees it; and a
// catalogue cover that is an SVG with a script in it, opened directly,
// runs nothing, though the owner's token is in sessionStorage.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertPageHeaders, launchBrowser, openPage, repo, startExample } from './support.mjs';

/** A cover whose script, if it ever ran, would leave three traces. */
const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" height="600" role="img" aria-label="Hostile cover art">
<rect width="600" height="600" fill="#3a0ca3"/>
<text x="300" y="300" font-size="40" text-anchor="middle" fill="#fff">Hostile</text>
<script>
document.documentElement.setAttribute('data-ran', 'yes');
let token = 'none';
try { token = sessionStorage.getItem('band-site.token'); } catch (e) { token = 'unreadable'; }
fetch('/api/pwned?token=' + encodeURIComponent(token));
new Image().src = '/pwned.png?token=' + encodeURIComponent(token);
</script>
</svg>
`;

/**
 * The example catalogue in a directory of its own, its first album's
 * cover replaced by the hostile SVG.
 */
async function hostileCatalogue() {
  const dir = await mkdtemp(path.join(tmpdir(), 'pale-hostile-catalogue-'));
  const source = path.join(repo, 'examples/band-site');
  await mkdir(path.join(dir, 'covers'));
  for (const file of await readdir(path.join(source, 'covers'))) {
    await copyFile(path.join(source, 'covers', file), path.join(dir, 'covers', file));
  }
  await writeFile(path.join(dir, 'covers/hostile.svg'), HOSTILE_SVG);
  const text = await readFile(path.join(source, 'catalogue.toml'), 'utf8');
  const edited = text.replace('cover = "covers/old-roads-home.svg"', 'cover = "covers/hostile.svg"');
  assert.notEqual(edited, text, 'the first cover was replaced');
  await writeFile(path.join(dir, 'catalogue.toml'), edited);
  return dir;
}

describe('security headers and the policy at work', () => {
  let site;
  let licensing;
  let browser;
  let catalogueDir;

  before(async () => {
    catalogueDir = await hostileCatalogue();
    site = await startExample('band-site', { args: ['--catalogue', path.join(catalogueDir, 'catalogue.toml')] });
    licensing = await startExample('licensing');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await licensing?.stop();
    if (catalogueDir) await rm(catalogueDir, { recursive: true, force: true });
  });

  test('the band site works under its policy, with every header', async () => {
    const tab = await openPage(browser);
    const response = await tab.page.goto(`${site.url}/`);
    const directives = assertPageHeaders(response, { referrer: 'strict-origin-when-cross-origin' });
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.equal(directives['style-src'], undefined, "styles fall back to 'self'");
    await tab.page.locator('ul.grid > li.card').first().waitFor();
    // The covers (the hostile one too, as an image) draw under img-src.
    for (const img of await tab.page.locator('.card img.cover').all()) {
      const loaded = await img.evaluate((i) => i.complete && i.naturalWidth > 0);
      assert.ok(loaded, `${await img.getAttribute('src')} loads`);
    }
    // The stylesheet applied: the grid is laid out by app.css.
    assert.equal(await tab.page.locator('ul.grid').evaluate((e) => getComputedStyle(e).display), 'grid');
    // The docs page behind the footer link carries the API's policy.
    const [docs] = await Promise.all([
      tab.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/docs'),
      tab.page.getByRole('link', { name: 'API documentation' }).click(),
    ]);
    assertPageHeaders(docs, { referrer: 'no-referrer' });
    await tab.page.locator('table#resource-album').waitFor();
    await tab.assertClean();
    await tab.close();
  });

  test('an inline script injected into a page is blocked, and reported', async () => {
    const tab = await openPage(browser);
    await tab.page.goto(`${site.url}/`);
    await tab.page.locator('.card').first().waitFor();
    await tab.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.head.append(script);
      const div = document.createElement('div');
      div.innerHTML = '<img src="x" onerror="window.injected = true">';
      document.body.append(div);
    });
    await tab.page.waitForTimeout(300);
    assert.equal(await tab.page.evaluate(() => window.injected), undefined);
    const reported = tab.problems.filter((p) => p.startsWith('CSP violation: script-src'));
    assert.ok(reported.length >= 1, `the violation surfaced: ${tab.problems.join('; ')}`);
    await assert.rejects(tab.assertClean(), /CSP violation/);
    await tab.close();
  });

  test('an SVG cover with a script, opened directly, runs nothing', async () => {
    const tab = await openPage(browser);
    const requested = [];
    tab.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    // Signed in: the owner's token is where the site keeps it.
    await tab.page.goto(`${site.url}/`);
    await tab.page.evaluate(() => sessionStorage.setItem('band-site.token', 'secret-owner-token'));

    const response = await tab.page.goto(`${site.url}/covers/hostile.svg`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'image/svg+xml');
    assert.equal(
      response.headers()['content-security-policy'],
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    assert.equal(response.headers()['x-content-type-options'], 'nosniff');
    await tab.page.waitForTimeout(500);
    // The image is there; its script did nothing.
    assert.equal(await tab.page.evaluate(() => document.documentElement.localName), 'svg');
    assert.equal(await tab.page.evaluate(() => document.documentElement.getAttribute('data-ran')), null);
    assert.deepEqual(
      requested.filter((p) => p.includes('pwned')),
      [],
      'the script made no request',
    );
    // Sandboxed: an opaque origin, which cannot read the site's storage.
    assert.equal(await tab.page.evaluate(() => self.origin), 'null');
    await tab.close();
  });

  test('the same SVG without the policy would have run (the check above can fail)', async () => {
    const tab = await openPage(browser);
    const requested = [];
    tab.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await tab.page.route(`${site.url}/unprotected.svg`, (route) =>
      route.fulfill({ status: 200, contentType: 'image/svg+xml', body: HOSTILE_SVG }),
    );
    await tab.page.route(/pwned/, (route) => route.fulfill({ status: 204 }));
    await tab.page.goto(`${site.url}/unprotected.svg`);
    await tab.page.waitForFunction(() => document.documentElement.getAttribute('data-ran') === 'yes');
    await tab.page.waitForTimeout(200);
    assert.ok(requested.some((p) => p === '/api/pwned'), requested.join(' '));
    await tab.close();
  });

  test("the licensing example's docs page works under pale-server's policy", async () => {
    const tab = await openPage(browser);
    const response = await tab.page.goto(`${licensing.url}/api/docs`);
    assert.equal(response.status(), 200);
    const directives = assertPageHeaders(response, { referrer: 'no-referrer' });
    assert.ok(
      directives['style-src'].some((s) => s.startsWith("'sha256-")),
      'the inline stylesheet is allowed by its hash alone',
    );
    assert.ok(!directives['style-src'].includes("'unsafe-inline'"));
    // The stylesheet applied (a blocked one would also be a violation).
    assert.equal(await tab.page.evaluate(() => getComputedStyle(document.body).maxWidth), '960px');
    await tab.page.locator('table#resource-album').waitFor();
    await tab.assertClean();
    await tab.close();
  });
});

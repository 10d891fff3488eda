// The band site's front end: a discography, album pages, search and an
// owner view, on the licensing API under `api/`.
//
// Plain JavaScript, no build step and nothing from another origin: the
// binary embeds this file as it is. Every URL is relative, so the site
// works under a base path (`--base-path /band`). Data from the API only
// ever reaches the page as text nodes and attribute values (the `h`
// helper), never as markup. Routes live in the hash (`#/album/3`), so the
// server needs to know only one page.

'use strict';

/** The owner's API token, for this tab only (sessionStorage). */
const TOKEN_KEY = 'band-site.token';

/** Album fields everyone may ask for; the owner's view adds its own. */
const PUBLIC_FIELDS = 'id,title,artist,release_date,price_cents,cover_art_url,links,tracks';
const OWNER_FIELDS = `${PUBLIC_FIELDS},status,units_sold,revenue_cents,licenses`;

const site = { name: '', bio: '', links: {}, currency: 'USD' };

// ---------------------------------------------------------------- DOM

/**
 * Builds an element: `h('a', { href: '#/' }, 'Home')`. Attributes are set
 * as attributes (`class`, `aria-*`, `data-*`) or, for `on…`, as listeners;
 * children are nodes or strings (which become text nodes); null, false and
 * undefined children are skipped.
 */
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const main = () => document.getElementById('main');

/** Replaces the page's content with `nodes` and names it `title`. */
function show(title, ...nodes) {
  const target = main();
  target.replaceChildren(...nodes.flat().filter(Boolean));
  document.title = site.name ? `${title} · ${site.name}` : title;
}

/** How many routes have started rendering; see `view`. */
let rendering = 0;

/**
 * A page's handle on the screen: its `show` is a no-op once a newer route
 * has started, so a slow answer never paints over the page the visitor
 * has moved on to.
 */
function view() {
  const ticket = ++rendering;
  return {
    get current() {
      return ticket === rendering;
    },
    show(title, ...nodes) {
      if (ticket === rendering) show(title, ...nodes);
    },
  };
}

// ---------------------------------------------------------------- API

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A problem the API reported, with the text it chose for clients. */
class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
  }
}

/**
 * GETs `path` (relative to the site) as JSON, as the owner when logged in
 * (or with `withToken`). A 401 for a stored token means it no longer
 * works: it is forgotten, so the next page is the public one.
 */
async function api(path, { withToken = token() } = {}) {
  const headers = { Accept: 'application/json' };
  if (withToken) headers.Authorization = `Bearer ${withToken}`;
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && withToken && withToken === token()) signOut();
    throw new ApiProblem(response.status, body);
  }
  return body;
}

/**
 * Every album the viewer may see, newest first: the first page, then each
 * page's `next` link (the API builds it, with our `sort` and `fields`)
 * until the last page, which has none.
 */
async function allAlbums() {
  const fields = token() ? OWNER_FIELDS : PUBLIC_FIELDS;
  const albums = [];
  let next = `api/albums?sort=-release_date&per_page=100&fields=${fields}`;
  // A bound, should a server ever link in a circle.
  for (let pages = 0; next && pages < 1000; pages += 1) {
    const body = await api(next);
    albums.push(...body.items);
    next = body.links?.next;
  }
  return albums;
}

// ---------------------------------------------------------------- formats

function money(cents) {
  return new Intl.NumberFormat('en', { style: 'currency', currency: site.currency || 'USD' }).format(
    cents / 100,
  );
}

function duration(seconds) {
  const s = String(seconds % 60).padStart(2, '0');
  return `${Math.floor(seconds / 60)}:${s}`;
}

function isoDuration(seconds) {
  return `PT${Math.floor(seconds / 60)}M${seconds % 60}S`;
}

function longDate(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** "A", "A and B", "A, B and C". */
function names(list) {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

const LICENCE_STATES = {
  pending: 'Licence pending',
  notice_sent: 'Notice sent',
  active: 'Licensed',
  needs_negotiation: 'Needs negotiation',
};

function licenceBadge(state) {
  if (!state) return null;
  return h('span', { class: `badge licence-${state}` }, LICENCE_STATES[state] ?? state);
}

function statusBadge(status) {
  if (!status) return null;
  return h('span', { class: `badge status-${status}` }, status[0].toUpperCase() + status.slice(1));
}

// ---------------------------------------------------------------- pieces

/**
 * An album's cover, or a lettered tile when it has none. Inside a link
 * that already names the album, the image is decorative (`decorative`:
 * empty alt text, so a screen reader does not say the title twice).
 */
function cover(album, size, { decorative = false } = {}) {
  if (album.cover_art_url) {
    return h('img', {
      class: 'cover',
      src: album.cover_art_url,
      alt: decorative ? '' : `Cover art of ${album.title}`,
      width: size,
      height: size,
      loading: 'lazy',
      decoding: 'async',
    });
  }
  return h('div', { class: 'cover cover-blank', 'aria-hidden': 'true' }, album.title.slice(0, 1));
}

function albumCard(album) {
  const year = album.release_date ? album.release_date.slice(0, 4) : 'Unreleased';
  return h(
    'li',
    { class: 'card' },
    h(
      'a',
      { href: `#/album/${album.id}`, class: 'card-link' },
      cover(album, 320, { decorative: true }),
      h('span', { class: 'card-title' }, album.title),
      h('span', { class: 'card-meta' }, year, ' · ', money(album.price_cents)),
      album.status && album.status !== 'live' ? statusBadge(album.status) : null,
    ),
  );
}

/** "Cover of Jolene by Dolly Parton"; "Cover of Shenandoah, traditional". */
function coverNote(coverOf) {
  if (!coverOf) return null;
  const writers = coverOf.writers ?? [];
  const traditional = writers.length > 0 && writers.every((w) => w.toLowerCase() === 'traditional');
  let credit = '';
  if (traditional) credit = ', traditional';
  else if (writers.length) credit = ` by ${names(writers)}`;
  return h('span', { class: 'cover-note' }, 'Cover of ', h('cite', {}, coverOf.title), credit);
}

function externalLinks(links) {
  const items = [];
  if (links?.bandcamp) items.push(h('li', {}, h('a', { href: links.bandcamp, class: 'store bandcamp' }, 'Buy on Bandcamp')));
  if (links?.spotify) items.push(h('li', {}, h('a', { href: links.spotify, class: 'store spotify' }, 'Listen on Spotify')));
  return items.length ? h('ul', { class: 'stores' }, items) : null;
}

function errorNotice(error) {
  return h('p', { class: 'notice error', role: 'alert' }, error.message || 'Something went wrong.');
}

/**
 * A table in a box that scrolls sideways on a narrow screen. The box is a
 * named, focusable region, so it scrolls from the keyboard too.
 */
function table(caption, headers, rows, className, label = caption) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': label },
    h(
      'table',
      { class: className },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))),
    ),
  );
}

// ---------------------------------------------------------------- pages

async function discographyPage(screen) {
  const albums = await allAlbums();
  const heading = h('h1', { tabindex: '-1' }, 'Discography');
  if (!albums.length) {
    return screen.show('Discography', heading, h('p', { class: 'notice' }, 'No albums yet.'));
  }
  screen.show(
    'Discography',
    heading,
    site.bio ? h('p', { class: 'bio' }, site.bio) : null,
    h('ul', { class: 'grid', 'aria-label': 'Albums' }, albums.map(albumCard)),
  );
}

/** An album; track number `wanted` is highlighted and focused, as search links do. */
async function albumPage(screen, id, wanted) {
  const owner = Boolean(token());
  const album = await api(`api/albums/${encodeURIComponent(id)}?fields=${owner ? OWNER_FIELDS : PUBLIC_FIELDS}`);
  const total = album.tracks.reduce((sum, t) => sum + t.duration_s, 0);
  const tracks = h(
    'ol',
    { class: 'tracklist' },
    album.tracks.map((track) =>
      h(
        'li',
        {
          class: String(track.number) === wanted ? 'track highlight' : 'track',
          id: `track-${track.number}`,
          tabindex: String(track.number) === wanted ? '-1' : null,
        },
        h('span', { class: 'track-number', 'aria-hidden': 'true' }, `${track.number}.`),
        h(
          'span',
          { class: 'track-main' },
          h('span', { class: 'track-title' }, track.title),
          coverNote(track.cover_of),
          owner && track.cover_of ? licenceBadge(track.license_status) : null,
        ),
        h('time', { class: 'track-duration', datetime: isoDuration(track.duration_s) }, duration(track.duration_s)),
      ),
    ),
  );
  screen.show(
    album.title,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← All albums')),
    h(
      'article',
      { class: 'album' },
      h('div', { class: 'album-art' }, cover(album, 480)),
      h(
        'div',
        { class: 'album-body' },
        h('h1', { tabindex: '-1' }, album.title),
        h(
          'p',
          { class: 'album-meta' },
          album.artist?.name ? h('span', {}, album.artist.name) : null,
          album.release_date
            ? h('span', {}, 'Released ', h('time', { datetime: album.release_date }, longDate(album.release_date)))
            : h('span', {}, 'Not released yet'),
          h('span', {}, `${album.tracks.length} tracks, ${duration(total)}`),
        ),
        h('p', { class: 'price' }, h('span', { class: 'visually-hidden' }, 'Price: '), money(album.price_cents)),
        externalLinks(album.links),
        h('h2', {}, 'Tracks'),
        tracks,
        owner ? ownerPanel(album) : null,
      ),
    ),
  );
  return document.getElementById(`track-${wanted}`);
}

/** What only the album's artist sees: sales, licences, statements. */
function ownerPanel(album) {
  if (album.units_sold === undefined) return null;
  const statement = h('div', { class: 'statement', 'aria-live': 'polite' });
  const month = h('input', { type: 'month', id: 'statement-month', name: 'month', required: true });
  const form = h(
    'form',
    {
      class: 'inline-form',
      onsubmit: async (event) => {
        event.preventDefault();
        statement.replaceChildren(h('p', { class: 'notice' }, 'Loading…'));
        try {
          const s = await api(`api/albums/${album.id}/statements/${encodeURIComponent(month.value)}`);
          statement.replaceChildren(statementView(s, album));
        } catch (error) {
          statement.replaceChildren(errorNotice(error));
        }
      },
    },
    h('label', { for: 'statement-month' }, 'Royalty statement for'),
    month,
    h('button', { type: 'submit' }, 'Show'),
  );
  const licences = album.licenses ?? [];
  const trackTitle = (n) => album.tracks.find((t) => t.number === n)?.title ?? `Track ${n}`;
  return h(
    'section',
    { class: 'owner-panel', 'aria-labelledby': 'owner-heading' },
    h('h2', { id: 'owner-heading' }, 'For the artist'),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, 'Status'), h('dd', {}, statusBadge(album.status))),
      h('div', {}, h('dt', {}, 'Units sold'), h('dd', { class: 'units-sold' }, String(album.units_sold))),
      h('div', {}, h('dt', {}, 'Revenue'), h('dd', { class: 'revenue' }, money(album.revenue_cents))),
    ),
    h('h3', {}, 'Licences'),
    licences.length
      ? table(
          null,
          ['Track', 'Route', 'State', 'Notice served'],
          licences.map((l) => [
            trackTitle(l.track_number),
            l.route === 'noi' ? 'Notice of intention' : 'Blanket',
            licenceBadge(l.status),
            l.notice_date ? longDate(l.notice_date) : '—',
          ]),
          'licences',
          'Licences',
        )
      : h('p', { class: 'notice' }, 'No covers, so no licences.'),
    h('h3', {}, 'Statements'),
    form,
    statement,
  );
}

function statementView(s, album) {
  const composition = new Map(
    album.tracks.filter((t) => t.cover_of).map((t) => [t.cover_of.id, t.cover_of.title]),
  );
  return h(
    'div',
    {},
    s.lines.length
      ? table(
          `Royalties for ${s.month}`,
          ['Publisher', 'Song', 'Units', 'Due'],
          s.lines.map((l) => [l.publisher, composition.get(l.composition_id) ?? '—', String(l.units), money(l.amount_cents)]),
          'statement-lines',
        )
      : h('p', { class: 'notice' }, `No royalties due for ${s.month}.`),
    h(
      'p',
      {},
      h('strong', {}, 'Total due: ', money(s.total_cents)),
      ` by ${longDate(s.due_date)}`,
      s.late ? [' ', h('span', { class: 'badge late' }, 'Late')] : null,
    ),
  );
}

/** Search: the query lives in the hash (`#/search?q=ferry`) so results can be linked. */
function searchPage(screen, query) {
  const input = h('input', {
    type: 'search',
    id: 'search-input',
    name: 'q',
    value: query,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'search-status',
  });
  const status = h('p', { id: 'search-status', class: 'search-status', role: 'status' });
  const results = h('ul', { class: 'results', 'aria-label': 'Search results' });
  let sequence = 0;
  let timer;
  const run = async () => {
    if (!screen.current) return; // the visitor has moved on
    const q = input.value.trim();
    history.replaceState(null, '', q ? `#/search?q=${encodeURIComponent(q)}` : '#/search');
    const mine = ++sequence;
    if (!q) {
      status.textContent = 'Type a word of a song or album title.';
      results.replaceChildren();
      return;
    }
    try {
      const fields = 'id,title,release_date,cover_art_url,tracks';
      const body = await api(`api/albums?q=${encodeURIComponent(q)}&per_page=100&fields=${fields}`);
      if (mine !== sequence) return; // a newer search is on its way
      const found = body.items.map((album) => searchResult(album, q));
      const count = found.reduce((n, r) => n + r.hits, 0);
      status.textContent = body.items.length
        ? `${body.items.length} album${body.items.length === 1 ? '' : 's'}, ${count} matching track${count === 1 ? '' : 's'}.`
        : `Nothing found for “${q}”.`;
      results.replaceChildren(...found.map((r) => r.node));
    } catch (error) {
      if (mine === sequence) results.replaceChildren(h('li', {}, errorNotice(error)));
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  screen.show(
    'Search',
    h('h1', { tabindex: '-1' }, 'Search'),
    h(
      'form',
      { role: 'search', class: 'search-form', onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); run(); } },
      h('label', { for: 'search-input' }, 'Song or album title'),
      input,
    ),
    status,
    results,
  );
  run();
  return input;
}

/** One album among the results, with its tracks that hold a searched word. */
function searchResult(album, q) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const holds = (text) => words.some((w) => text.toLowerCase().includes(w));
  const tracks = album.tracks.filter((t) => holds(t.title));
  return {
    hits: tracks.length,
    node: h(
      'li',
      { class: 'result' },
      h('a', { href: `#/album/${album.id}`, class: 'result-album' }, cover(album, 64, { decorative: true }), h('span', {}, album.title)),
      tracks.length
        ? h(
            'ul',
            { class: 'result-tracks' },
            tracks.map((t) =>
              h(
                'li',
                {},
                h('a', { href: `#/album/${album.id}?track=${t.number}`, class: 'result-track' }, `${t.number}. ${t.title}`),
                ' ',
                h('time', { datetime: isoDuration(t.duration_s) }, duration(t.duration_s)),
              ),
            ),
          )
        : null,
    ),
  };
}

/** The owner login (paste the token) or, when logged in, the owner's summary. */
async function ownerPage(screen) {
  if (!token()) {
    const input = h('input', {
      type: 'password',
      id: 'token-input',
      name: 'token',
      autocomplete: 'off',
      required: true,
      'aria-describedby': 'token-help',
    });
    const message = h('div', { 'aria-live': 'assertive' });
    const form = h(
      'form',
      {
        class: 'login',
        onsubmit: async (event) => {
          event.preventDefault();
          const candidate = input.value.trim();
          try {
            await api('api/albums?per_page=1&fields=id', { withToken: candidate });
            sessionStorage.setItem(TOKEN_KEY, candidate);
            updateMasthead();
            location.hash = '#/owner';
            route();
          } catch (error) {
            message.replaceChildren(
              errorNotice(error.status === 401 ? new Error('That token was not accepted.') : error),
            );
            input.focus();
          }
        },
      },
      h('label', { for: 'token-input' }, 'API token'),
      input,
      h(
        'p',
        { id: 'token-help', class: 'help' },
        'Run ',
        h('code', {}, 'band-site tokens'),
        ' on the server to see it. It is kept in this tab only, until you log out or close it.',
      ),
      h('button', { type: 'submit' }, 'Log in'),
      message,
    );
    return screen.show('Owner login', h('h1', { tabindex: '-1' }, 'Owner login'), form);
  }
  // Only the artist's own albums carry their sales.
  const albums = (await allAlbums()).filter((a) => a.units_sold !== undefined);
  const units = albums.reduce((n, a) => n + (a.units_sold ?? 0), 0);
  const revenue = albums.reduce((n, a) => n + (a.revenue_cents ?? 0), 0);
  screen.show(
    'Owner',
    h('h1', { tabindex: '-1' }, 'Owner'),
    h('p', {}, 'Logged in. Album pages now show sales, licence states and statements.'),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, 'Units sold'), h('dd', { class: 'units-sold' }, String(units))),
      h('div', {}, h('dt', {}, 'Revenue'), h('dd', { class: 'revenue' }, money(revenue))),
    ),
    table(
      'Albums',
      ['Album', 'Status', 'Units sold', 'Revenue'],
      albums.map((a) => [
        h('a', { href: `#/album/${a.id}` }, a.title),
        statusBadge(a.status),
        String(a.units_sold ?? 0),
        money(a.revenue_cents ?? 0),
      ]),
      'owner-albums',
    ),
    h('button', { type: 'button', class: 'secondary', onclick: () => { signOut(); location.hash = '#/'; } }, 'Log out'),
  );
}

function notFoundPage(screen) {
  screen.show('Not found', h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'See all albums')));
}

// ---------------------------------------------------------------- shell

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  updateMasthead();
}

function updateMasthead() {
  const link = document.getElementById('owner-link');
  if (link) link.textContent = token() ? 'Owner ✓' : 'Owner';
  if (link) link.setAttribute('aria-label', token() ? 'Owner (logged in)' : 'Owner login');
}

/** Marks the current section in the navigation. */
function markNav(name) {
  for (const link of document.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

let firstRoute = true;

/** Renders the page the hash names; focus moves to its heading after the first. */
async function route() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page anchor, such as #main
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean);
  const screen = view();
  let focus = null;
  try {
    if (parts.length === 0) {
      markNav('discography');
      await discographyPage(screen);
    } else if (parts[0] === 'album' && parts.length === 2) {
      markNav('discography');
      focus = await albumPage(screen, parts[1], params.get('track'));
    } else if (parts[0] === 'search' && parts.length === 1) {
      markNav('search');
      focus = searchPage(screen, params.get('q') ?? '');
    } else if (parts[0] === 'owner' && parts.length === 1) {
      markNav('owner');
      await ownerPage(screen);
    } else {
      markNav(null);
      notFoundPage(screen);
    }
  } catch (error) {
    const title = error.status === 404 ? 'Not found' : 'Something went wrong';
    screen.show('Error', h('h1', { tabindex: '-1' }, title), errorNotice(error));
  }
  if (!screen.current) return;
  if (!firstRoute) (focus ?? main().querySelector('h1'))?.focus();
  firstRoute = false;
}

async function loadSite() {
  try {
    const response = await fetch('site.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const body = await response.json();
    const artist = body.artist ?? body;
    site.name = artist.name ?? '';
    site.bio = artist.bio ?? '';
    site.links = artist.links ?? {};
    site.currency = body.currency ?? 'USD';
  } catch {
    // The site works without it: no name in the masthead.
  }
  if (site.name) document.getElementById('brand').textContent = site.name;
  const links = [
    ['bandcamp', 'Bandcamp'],
    ['spotify', 'Spotify'],
    ['website', 'Website'],
  ]
    .filter(([key]) => site.links[key])
    .map(([key, label]) => h('a', { href: site.links[key] }, label));
  const footer = document.getElementById('artist-links');
  footer.replaceChildren(...links.flatMap((link, i) => (i ? [' · ', link] : [link])));
}

document.addEventListener('DOMContentLoaded', async () => {
  // The skip link moves focus without touching the route in the hash.
  document.querySelector('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    main().focus();
  });
  updateMasthead();
  await loadSite();
  window.addEventListener('hashchange', route);
  await route();
});

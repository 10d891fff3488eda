// What every browser test needs: an example binary running on a free port
// with a data directory of its own, and a headless Chromium page that fails
// the test on any console error, page error or request leaving 127.0.0.1.
//
// The binaries are the ones cargo built (debug profile), found in
// $CARGO_TARGET_DIR or the repository's target/; the browser is Debian's
// chromium, driven by playwright-core (which downloads no browser).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The directory cargo builds into, as cargo itself resolves it. */
function targetDir() {
  const env = process.env.CARGO_TARGET_DIR;
  if (env) return path.resolve(repo, env);
  return path.join(repo, 'target');
}

/** The debug build of the example binary `name`. */
export function binary(name) {
  const file = path.join(targetDir(), 'debug', name);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`cargo build -p ${name}\` first`);
  }
  return file;
}

/** Where screenshots go: target/screenshots/ of the cargo target dir. */
export function screenshotDir() {
  const dir = path.join(targetDir(), 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts example `name` on 127.0.0.1 (a port the kernel picks) with a
 * fresh data directory, and resolves once it logs "listening on". The
 * result's `url` is the server's origin; `stop()` kills it and removes the
 * data directory. `args` go before the address flags (a subcommand).
 */
export async function startExample(name, { args = [], env = {}, dataDir } = {}) {
  const data = dataDir ?? (await mkdtemp(path.join(tmpdir(), `pale-${name}-`)));
  const child = spawn(binary(name), [...args, '--addr', '127.0.0.1:0', '--data', data], {
    cwd: repo,
    env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not say "listening on" within 60 s:\n${log}`)),
      60_000,
    );
    const read = (chunk) => {
      log += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${log}`));
    });
  });
  return {
    url,
    data,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!dataDir) await rm(data, { recursive: true, force: true });
    },
  };
}

/** Runs `name` with `args` to completion and returns its standard output. */
export async function runExample(name, args) {
  const child = spawn(binary(name), args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} exited ${code}:\n${err}`);
  return out;
}

/**
 * Debian's chromium, headless. The networking flags keep it from calling
 * home (updates, sync, QUIC probes): the tests run with no network, and a
 * browser that tries floods the log and slows every page.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page at `width` × `height` whose problems are recorded: console
 * errors, uncaught page errors, failed requests, and every request for
 * anything but 127.0.0.1. Await `assertClean()` at the end of a test.
 *
 * With `intercept`, requests go through Playwright's router, and those
 * leaving 127.0.0.1 are aborted before they reach the network: the proof
 * that a page works offline. It is off by default because Chromium skips
 * its favicon request under interception, and a missing favicon is a
 * console error a real visitor would see.
 */
export async function openPage(browser, { width = 1280, height = 800, headers, intercept = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    extraHTTPHeaders: headers,
  });
  const problems = [];
  const offsite = [];
  const local = (href) => {
    const url = new URL(href);
    return url.hostname === '127.0.0.1' || url.protocol === 'data:';
  };
  if (intercept) {
    await context.route('**/*', (route) => {
      if (local(route.request().url())) return route.continue();
      offsite.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  } else {
    context.on('request', (request) => {
      if (!local(request.url())) offsite.push(request.url());
    });
  }
  // A Content-Security-Policy violation is a failure too: Chromium logs
  // most as console errors, and the page's own event reports every one
  // (a blocked inline script, style, image or connection), through a
  // binding that no policy can block.
  await context.exposeBinding('__paleCspViolation', (_source, text) => {
    problems.push(`CSP violation: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      globalThis.__paleCspViolation?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile || event.documentURI}:${event.lineNumber})`,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!local(request.url())) return; // reported as off-site
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  return {
    page,
    context,
    problems,
    offsite,
    /**
     * Waits for the network to go quiet (the browser's own late requests,
     * such as a favicon, included), then fails on any problem seen.
     */
    async assertClean() {
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(250);
      const all = [...problems, ...offsite.map((u) => `left 127.0.0.1: ${u}`)];
      if (all.length) throw new Error(`the page had problems:\n  ${all.join('\n  ')}`);
    },
    close: () => context.close(),
  };
}

/**
 * The security headers every HTML page must carry (issue 16), checked on
 * `response` (a Playwright response): a Content-Security-Policy with no
 * inline script and `frame-ancestors 'none'`, `X-Frame-Options`,
 * `Referrer-Policy` and `nosniff`. Returns the policy's directives.
 */
export function assertPageHeaders(response, { referrer }) {
  const headers = response.headers();
  const policy = headers['content-security-policy'];
  if (!policy) throw new Error(`${response.url()} has no Content-Security-Policy`);
  const directives = Object.fromEntries(
    policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
  const scripts = directives['script-src'] ?? directives['default-src'];
  const problems = [];
  if (!scripts || scripts.includes("'unsafe-inline'") || scripts.includes("'unsafe-eval'") || scripts.includes('*')) {
    problems.push(`scripts are not limited to the site's own: ${policy}`);
  }
  if ((directives['frame-ancestors'] ?? []).join(' ') !== "'none'") problems.push(`framing allowed: ${policy}`);
  if (headers['x-frame-options'] !== 'DENY') problems.push(`X-Frame-Options: ${headers['x-frame-options']}`);
  if (headers['referrer-policy'] !== referrer) problems.push(`Referrer-Policy: ${headers['referrer-policy']}`);
  if (headers['x-content-type-options'] !== 'nosniff') problems.push('no nosniff');
  if (problems.length) throw new Error(`${response.url()}:\n  ${problems.join('\n  ')}`);
  return directives;
}

/**
 * The accessibility rules `page` breaks, as axe-core (Deque's engine, the
 * one browser audits use) finds them: WCAG 2.x A and AA plus axe's best
 * practices. Each is `rule: help (selectors)`; an empty list passes.
 */
export async function accessibilityViolations(page) {
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  // Evaluated through the DevTools protocol, not added as a <script> tag:
  // the pages' policies allow no inline script, and rightly.
  await page.evaluate(`${await readFile(axe, 'utf8')}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

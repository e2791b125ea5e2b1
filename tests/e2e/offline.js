// The offline copy in a real headless browser (Debian's chromium, playwright-core), as an
// office reads it: the bundled content exported as a ZIM file, served by kiwix-serve on
// loopback, and every page reached by following links from the home, at phone size. Every
// page and every file a page loads answers 200, no request leaves the book, no script fails;
// the search box shows (kiwix-serve has a search) and finds a French word typed without its
// accents; a guide's PDF downloads; a partners' copy says so on its pages. Screenshots go to
// OUT_DIR.
// Usage: node offline.js PASSERELLE CONTENT_DIR OUT_DIR  (CTest passes them; exits 1 on failure)
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { checker } = require('./support');

const [passerelle, content, outDir] = process.argv.slice(2);
if (!passerelle || !content || !outDir) {
  console.error('usage: node offline.js PASSERELLE CONTENT_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const { check, failures } = checker();
const k_max_pages = 600;  // bounded: the bundled content makes about 240 pages

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// kiwix-serve on `port` for `files`, resolved once it answers (within 10 s).
async function kiwix(port, files) {
  const server = spawn('kiwix-serve', ['--address', '127.0.0.1', '--port', String(port), ...files], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) return server;
    } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGKILL');
  throw new Error('kiwix-serve did not answer within 10 s');
}

(async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-offline-'));
  let server = null, browser = null;
  try {
    execFileSync(passerelle, ['index', content, '--db', path.join(work, 'db'), '-q'], { stdio: 'ignore' });
    for (const role of ['public', 'partners'])
      execFileSync(passerelle, ['export', 'zim', '--db', path.join(work, 'db'), '--role', role, '-o', path.join(work, `${role}.zim`)], { stdio: 'ignore' });
    const port = await freePort();
    server = await kiwix(port, [path.join(work, 'public.zim'), path.join(work, 'partners.zim')]);
    const base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const bad = [];      // responses other than 200 (and 304), requests outside the book
    const errors = [];   // script errors
    page.on('response', (r) => {
      const u = new URL(r.url());
      const kiwixOwn = u.pathname.startsWith('/skin/') || u.pathname === '/suggest' || u.pathname === '/catalog/search';
      if (r.status() !== 200 && r.status() !== 304 && !kiwixOwn) bad.push(`${r.status()} ${r.url()} (from ${page.url()})`);
    });
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin !== base && !u.protocol.startsWith('data')) bad.push(`outside: ${r.url()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));

    // Every page reached from the home by links, each visited once (fragments aside).
    const start = `${base}/public/fr/index.html`;
    const queue = [start], seen = new Set([start]);
    let visited = 0, pdfs = 0;
    while (queue.length && visited < k_max_pages) {
      const url = queue.shift();
      if (url.endsWith('.pdf')) {  // a download: fetched whole, not shown
        const r = await page.request.get(url);
        const body = await r.body();
        if (r.status() !== 200 || body.slice(0, 5).toString() !== '%PDF-') bad.push(`${r.status()} ${url}: not a PDF`);
        pdfs++;
        continue;
      }
      const r = await page.goto(url);
      visited++;
      if (!r || r.status() !== 200) { bad.push(`${r ? r.status() : 'no answer'} ${url}`); continue; }
      // The page's own links, not those of the bar kiwix-serve puts on top (span.kiwix). The
      // map's links are SVG <a>: their address is read from the attribute.
      const links = await page.$$eval('a[href]', (as) => as.filter((a) => !a.closest('span.kiwix'))
        .map((a) => new URL(a.getAttribute('href'), document.baseURI).href));
      for (const l of links) {
        const u = new URL(l);
        u.hash = '';
        const clean = u.toString();
        if (u.origin !== base) continue;  // another site, kept as a link (checked not to load)
        if (!u.pathname.startsWith('/public/')) { bad.push(`a link leaves the book: ${clean} on ${url}`); continue; }
        if (!seen.has(clean)) { seen.add(clean); queue.push(clean); }
      }
    }
    check(queue.length === 0, `every page reached from the home was visited (${visited} pages, ${pdfs} PDFs; bound ${k_max_pages})`);
    check(visited > 150, `the copy holds the whole site (${visited} pages)`);
    check(pdfs >= 8, `every guide's PDF in both layouts downloads (${pdfs})`);
    check(bad.length === 0, `no dead link, no failed file, nothing from outside the book${bad.length ? ':\n  ' + bad.slice(0, 10).join('\n  ') : ''}`);
    check(errors.length === 0, `no script error${errors.length ? ': ' + errors.slice(0, 5).join('; ') : ''}`);

    // The search box: shown, since kiwix-serve has a search, and it finds "école" typed plainly.
    await page.goto(start);
    await page.waitForSelector('form[data-offline-search]:not([hidden])', { timeout: 5000 }).catch(() => {});
    const shown = await page.$eval('form[data-offline-search]', (f) => !f.hidden).catch(() => false);
    check(shown, 'the search box shows where the reader offers a search');
    await page.screenshot({ path: path.join(outDir, 'offline-home.png'), fullPage: true });
    if (shown) {
      await page.fill('form[data-offline-search] input[name="pattern"]', 'ecole');
      await Promise.all([page.waitForNavigation(), page.press('form[data-offline-search] input[name="pattern"]', 'Enter')]);
      const hits = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      check(hits.includes('/public/fr/documents/pr-paems~fr.html'), `"ecole" finds the PAEMS project's page (${page.url()})`);
      await page.screenshot({ path: path.join(outDir, 'offline-search.png'), fullPage: true });
      // The hit opens the page inside the book.
      await page.click('a[href="/public/fr/documents/pr-paems~fr.html"]');
      check((await page.title()).includes('PAEMS'), 'a hit opens its page');
      await page.screenshot({ path: path.join(outDir, 'offline-document.png'), fullPage: true });
    }

    // Without a search beside it (the same page read from a folder), the box stays hidden.
    const folder = path.join(work, 'site');
    execFileSync(passerelle, ['export', 'html', '--db', path.join(work, 'db'), '-o', folder], { stdio: 'ignore' });
    await page.goto('file://' + path.join(folder, 'fr', 'index.html'));
    await page.waitForTimeout(300);
    check(await page.$eval('form[data-offline-search]', (f) => f.hidden), 'a reader without a search shows no search box');
    check(await page.$eval('link[rel="stylesheet"]', (l) => l.sheet !== null), 'the folder copy finds its stylesheet');

    // A partners' copy says so on its pages, and holds the partners' lesson.
    await page.goto(`${base}/partners/fr/index.html`);
    const note = await page.$eval('.offline-role', (p) => p.textContent).catch(() => '');
    check(note.includes('partenaires'), `a partners' copy says so on its pages ("${note.slice(0, 60)}…")`);
    await page.screenshot({ path: path.join(outDir, 'offline-partners.png'), fullPage: false });
  } catch (e) {
    check(false, 'the journey ran to its end: ' + e.stack);
  } finally {
    if (browser) await browser.close();
    if (server) server.kill('SIGKILL');
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(failures() ? `${failures()} check(s) failed` : 'all checks passed');
  process.exit(failures() ? 1 : 0);
})();

// The ways into the archive in a real headless browser (Debian's chromium, playwright-core):
// home, results, browse, projects, a project, guides, a document and about, at phone size (390×844)
// and desktop size (1280×900), with JavaScript on and off. Each page: every target at least
// 24×24 px (WCAG 2.2, 2.5.8; links inside running text are exempt, as WCAG allows), no
// request leaves the site, a screenshot; on a phone the filters come before the results,
// folded; the year range, the place filters and the map's links work without JavaScript;
// axe-core finds no serious or critical violation on each new page.
// Usage: node pages.js PASSERELLE CONTENT_DIR OUT_DIR  (CTest passes them; exits 1 on failure)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { checker, serve } = require('./support');

const [passerelle, content, outDir] = process.argv.slice(2);
if (!passerelle || !content || !outDir) {
  console.error('usage: node pages.js PASSERELLE CONTENT_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const { check, failures } = checker();

const pages = [
  ['home', '/fr/'],
  ['results', '/fr/search?q=eau'],
  ['browse', '/en/browse'],
  ['projects', '/fr/projects'],
  ['project', '/en/projects/pr-paems'],
  ['guides', '/fr/guides'],
  ['document', '/fr/documents/gp-association-locale?lang=fr'],
  ['about', '/en/about'],
];

// Targets smaller than 24×24 px, outside running text (a document's body, a snippet), and
// without an equivalent: WCAG 2.5.8 accepts a small target when another on the same page does
// the same and is large enough (a small country on a map, also in the list of countries).
function smallTargets() {
  const out = [];
  const size = (e) => e.getBoundingClientRect();
  const big = new Set();
  for (const a of document.querySelectorAll('a[href]')) {
    const r = size(a);
    if (a.checkVisibility() && r.width >= 24 && r.height >= 24) big.add(a.getAttribute('href'));
  }
  for (const e of document.querySelectorAll('a,button,input,select,textarea,summary')) {
    const r = e.getBoundingClientRect();
    if (!e.checkVisibility() || (r.width === 0 && r.height === 0)) continue;  // not shown (a folded part)
    if (e.closest('.body,.snippet') || e.type === 'hidden') continue;
    if (e.closest('svg') && big.has(e.getAttribute('href'))) continue;  // the equivalent is large enough
    if (r.width < 24 || r.height < 24) out.push(`${e.tagName.toLowerCase()} "${(e.textContent || e.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}

async function axe(browser, url, name) {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url);  // (an error page answers 404: axe checks it all the same)
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag22aa', 'best-practice'] } }));
  for (const v of r.violations) console.log(`     axe ${name}: ${v.impact} ${v.id} (${v.nodes.length})`);
  check(!r.violations.some((v) => v.impact === 'serious' || v.impact === 'critical'), `axe: no serious or critical violation on the ${name} page`);
  await context.close();
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-e2e-pages-'));
  execFileSync(passerelle, ['index', content, '--db', path.join(work, 'db'), '-q'], { stdio: 'ignore' });
  const { server, base } = await serve(passerelle, ['--db', path.join(work, 'db')]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  try {
    for (const [size, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]]) {
      for (const js of [true, false]) {
        const mode = `${size}, JavaScript ${js ? 'on' : 'off'}`;
        const context = await browser.newContext({ viewport, javaScriptEnabled: js, isMobile: size === 'phone', hasTouch: size === 'phone' });
        const page = await context.newPage();
        const external = [];
        page.on('request', (req) => { if (!req.url().startsWith(base)) external.push(req.url()); });
        for (const [name, address] of pages) {
          const response = await page.goto(base + address);
          check(response.status() === 200, `${name} (${mode}): 200`);
          const small = await page.evaluate(smallTargets);
          check(small.length === 0, `${name} (${mode}): every target is at least 24×24 px` + (small.length ? ': ' + small.slice(0, 5).join(', ') : ''));
          await page.screenshot({ path: path.join(outDir, `${name}-${size}-${js ? 'js' : 'nojs'}.png`), fullPage: true });
        }
        check(external.length === 0, `${mode}: no request leaves the site (${external.length})`);

        // Results: on a phone the filters come first and folded; on a desktop beside the results.
        await page.goto(base + '/fr/search?q=eau');
        const order = await page.evaluate(() => {
          const d = document.querySelector('details.refine'), r = document.querySelector('.results');
          return { before: !!(d && r && (d.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING)), open: d && d.open,
            facetsTop: d ? d.getBoundingClientRect().top : -1, resultsTop: r.getBoundingClientRect().top,
            facetShown: [...document.querySelectorAll('.facets ul.facet a')].some((a) => a.checkVisibility()) };
        });
        check(order.before, `results (${mode}): the filters come before the results in the page`);
        if (size === 'phone') {
          check(!order.open && !order.facetShown && order.facetsTop < order.resultsTop, `results (${mode}): the filters are folded above the results`);
          await page.click('details.refine > summary');
          const opened = await page.evaluate(() => [...document.querySelectorAll('.facets ul.facet a')].some((a) => a.checkVisibility()));
          check(opened, `results (${mode}): the summary unfolds the filters`);
          const small = await page.evaluate(smallTargets);
          check(small.length === 0, `results (${mode}): the unfolded filters' targets are at least 24×24 px` + (small.length ? ': ' + small.slice(0, 5).join(', ') : ''));
          await page.screenshot({ path: path.join(outDir, `results-filters-${size}-${js ? 'js' : 'nojs'}.png`), fullPage: true });
        } else {
          check(order.facetShown, `results (${mode}): the filters are shown beside the results`);
        }
        // A range of years, sent by the form.
        await page.goto(base + '/fr/browse');
        await page.fill('form.years input[name=year_from]', '2015');
        await page.fill('form.years input[name=year_to]', '2017');
        await Promise.all([page.waitForURL(/year_from=2015/), page.click('form.years button')]);
        const heading = (await page.textContent('h1')).trim();
        check(heading.includes('2015–2017'), `browse (${mode}): the year range filters, and the heading says so: ${heading}`);
        const years = await page.locator('ol.hits .meta').evaluateAll((ms) => ms.map((m) => Number((m.textContent.match(/\b(19|20)\d\d\b/) || ['0'])[0])));
        check(years.length > 0 && years.every((y) => y >= 2015 && y <= 2017), `browse (${mode}): every hit is of 2015–2017 (${years.join(' ')})`);
        // A country on the home's map, to its documents.
        await page.goto(base + '/fr/');
        // (Morocco: on a phone, Senegal is mostly under its places' dots, which are links too.)
        const morocco = page.locator('svg.map a[href$="country=MA"]');
        const shape = await morocco.boundingBox();
        await Promise.all([page.waitForURL(/country=MA/), morocco.click({ position: { x: shape.width * 0.4, y: shape.height * 0.6 } })]);
        check((await page.textContent('h1')).includes('Maroc'), `home (${mode}): a country on the map leads to its documents`);
        // A place, from a document to its filtered view.
        await page.goto(base + '/fr/documents/gp-association-locale?lang=fr');
        await Promise.all([page.waitForURL(/place=/), page.click('dl.meta a[href*="place="]')]);
        check((await page.textContent('h1')).includes('Saint-Louis'), `document (${mode}): a place leads to its documents, named in the heading`);
        // Print: the indicators' table rather than their charts, no navigation or forms.
        await page.goto(base + '/fr/projects/pr-paems');
        await page.emulateMedia({ media: 'print' });
        const printed = await page.evaluate(() => ({
          table: document.querySelector('.indicators table.ind').getBoundingClientRect().width > 100,
          charts: document.querySelector('.indicators .charts').checkVisibility(),
          nav: document.querySelector('header nav').checkVisibility(),
          search: !!document.querySelector('form.search') && document.querySelector('form.search').checkVisibility(),
        }));
        await page.emulateMedia({ media: 'screen' });
        const screen = await page.evaluate(() => {  // the table clipped away (still read by screen readers), the charts shown
          const t = getComputedStyle(document.querySelector('.indicators table.ind'));
          return t.position === 'absolute' && t.clipPath !== 'none' && document.querySelector('.indicators .charts svg').checkVisibility();
        });
        check(printed.table && !printed.charts && !printed.nav && !printed.search && screen,
          `project (${mode}): on screen the charts, in print the table, without navigation or forms ${JSON.stringify(printed)}`);
        // A guide, from the guides page.
        await page.goto(base + '/fr/guides');
        const href = await page.getAttribute('ul.downloads a', 'href');
        const pdf = await page.request.get(base + href);
        check(pdf.status() === 200 && (await pdf.body()).subarray(0, 5).toString() === '%PDF-', `guides (${mode}): the first download is a PDF`);
        await context.close();
      }
    }
    for (const [name, address] of pages) await axe(browser, base + address, name);
    await axe(browser, base + '/fr/documents/nowhere', 'error (404)');
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (failures()) { console.error(`${failures()} check(s) failed`); process.exit(1); }
}

main().catch((e) => { console.error(e); process.exit(1); });

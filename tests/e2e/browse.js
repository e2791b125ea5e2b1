// End-to-end test of the pages in a real headless browser (Debian's chromium, driven by
// playwright-core): a person searches in French and English, narrows by a facet, opens a
// document, switches language, follows a translation link, downloads an export, and uses the
// site without JavaScript and with the keyboard; axe-core checks each kind of page.
// Usage: node browse.js PASSERELLE CONTENT_DIR OUT_DIR  (CTest passes them; exits 1 on failure)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { checker, serve } = require('./support');

const [passerelle, content, outDir] = process.argv.slice(2);
if (!passerelle || !content || !outDir) {
  console.error('usage: node browse.js PASSERELLE CONTENT_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const { check, failures } = checker();

// Starts `passerelle serve` on a free loopback port over a fresh index of the content.
async function startServer() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-e2e-'));
  execFileSync(passerelle, ['index', content, '--db', path.join(work, 'db'), '-q'], { stdio: 'ignore' });
  const { server, base } = await serve(passerelle, ['--db', path.join(work, 'db')]);
  return { server, base, work };
}

// axe-core is injected as a script, which the site's own CSP forbids: it runs in a separate
// context that bypasses the CSP, on the same URL (the main context keeps the CSP enforced).
let axeContext = null;
async function axe(url, name) {
  const page = await axeContext.newPage();
  await page.goto(url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] } }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of r.violations) console.log(`     axe ${name}: ${v.impact} ${v.id} (${v.nodes.length})`);
  check(bad.length === 0, `axe: no serious or critical violation on the ${name} page`);
  await page.close();
}

async function main() {
  const { server, base, work } = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  try {
    axeContext = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    const external = [];
    page.on('request', (req) => { if (!req.url().startsWith(base)) external.push(req.url()); });
    const cspErrors = [];
    page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text()); });

    // Home, chosen from Accept-Language.
    await page.goto(base + '/');
    check(page.url() === base + '/fr/', 'the home page opens in French for a French browser');
    check(await page.getAttribute('html', 'lang') === 'fr', 'html lang="fr"');
    check(await page.locator('.ways a').count() > 10, 'ways into the archive by theme, country, kind and year');
    await page.screenshot({ path: path.join(outDir, 'home-fr.png'), fullPage: true });
    await axe(page.url(), 'home');

    // The small script offers completions as one types (the page works without it).
    await page.type('#q', 'latr');
    await page.waitForFunction(() => document.querySelectorAll('#q-list option').length > 0, null, { timeout: 5000 })
      .catch(() => {});
    const options = await page.locator('#q-list option').evaluateAll((os) => os.map((o) => o.value));
    check(options.some((o) => o.startsWith('latr')), 'the search box offers completions: ' + options.slice(0, 3).join(', '));

    // A French search, then a facet.
    await page.fill('#q', 'latrines écoles');
    await Promise.all([page.waitForURL(/\/fr\/search\?q=/), page.press('#q', 'Enter')]);
    const hits = await page.locator('ol.hits > li').count();
    check(hits > 0, `a French search finds documents (${hits} on the page)`);
    check(await page.locator('ol.hits mark').count() > 0, 'snippets mark the words searched');
    await page.screenshot({ path: path.join(outDir, 'results-fr.png'), fullPage: true });
    await axe(page.url(), 'results');
    const shown = await page.locator('ol.hits h2 a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    check(new Set(shown).size === shown.length, 'one hit per document: no document shows twice');
    const facet = page.locator('.facets ul.facet a', { hasText: 'Maroc' }).first();
    await Promise.all([page.waitForURL(/country=MA/), facet.click()]);
    check(await page.locator('.active a').count() === 1, 'the facet becomes an active, removable filter');
    const narrowed = await page.locator('ol.hits > li').count();
    check(narrowed > 0 && narrowed <= hits, `the facet narrows the results (${narrowed})`);

    // A misspelt word is corrected at once, and the words as typed are one click away.
    const typo = await context.newPage();
    await typo.goto(base + '/fr/search?q=' + encodeURIComponent('assainisement ecoles'));
    const fixedLine = (await typo.textContent('p.dym')) || '';
    check(/^Résultats pour assainissement/.test(fixedLine) && fixedLine.includes('rechercher plutôt assainisement ecoles'),
          'a misspelt word is corrected and the page says so: ' + fixedLine);
    await Promise.all([typo.waitForURL(/correct=0/), typo.click('p.dym a')]);
    check((await typo.locator('p.dym', { hasText: 'rechercher plutôt' }).count()) === 0, 'the words as typed, on request');
    await typo.close();

    // Open a document, switch the interface language, follow the translation link.
    const first = page.locator('ol.hits h2 a').first();
    const title = (await first.textContent()).trim();
    await Promise.all([page.waitForURL(/\/fr\/documents\//), first.click()]);
    check((await page.textContent('h1')).trim() === title, `the document opens: ${title}`);
    check(await page.locator('section[aria-labelledby="cite"] a[download]').count() === 3, 'cite as BibTeX, RIS and CSL-JSON');
    await page.screenshot({ path: path.join(outDir, 'document-fr.png'), fullPage: true });
    await axe(page.url(), 'document');
    const docLang = await page.getAttribute('article', 'lang');
    await Promise.all([page.waitForURL(/\/en\/documents\//), page.click('header nav a[hreflang="en"]')]);
    check(await page.getAttribute('html', 'lang') === 'en', 'the language switch keeps the document, in English');
    check(await page.getAttribute('article', 'lang') === docLang, 'the same language version of the document');
    const translation = page.locator('p.tr a').first();
    if (await translation.count()) {
      const target = await translation.getAttribute('hreflang');
      await Promise.all([page.waitForURL(new RegExp('lang=' + target)), translation.click()]);
      check(await page.getAttribute('article', 'lang') === target, `the translation link opens the ${target} version`);
    } else {
      check(false, 'the document has a translation link');
    }

    // An English search from the English interface.
    await page.goto(base + '/en/');
    await page.fill('#q', 'solar energy');
    await Promise.all([page.waitForURL(/\/en\/search\?q=/), page.click('form.search button')]);
    check(await page.locator('ol.hits > li').count() > 0, 'an English search finds documents');
    check((await page.textContent('h1')).includes('solar energy'), 'the heading repeats the query');

    // Download the CSV export of the search and check its content.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('p.exports a:text("CSV")')]);
    const csvPath = path.join(outDir, 'export.csv');
    await download.saveAs(csvPath);
    const csv = fs.readFileSync(csvPath, 'utf8').split('\r\n').filter((l) => l);
    check(download.suggestedFilename() === 'passerelle-solar-energy.csv', `the export downloads under the query's name (${download.suggestedFilename()})`);
    check(csv[0] === 'id,lang,kind,title,authors,publisher,year,date,countries,themes,url', 'the CSV has its header');
    check(csv.length > 1 && csv.slice(1).every((l) => l.includes(base + '/en/documents/')), `the CSV lists the hits with their URLs (${csv.length - 1})`);

    // Keyboard: the skip link comes first and leads to the content; the search box submits with Enter.
    await page.goto(base + '/fr/');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.className) === 'skip', 'Tab reaches the skip link first');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', 'the focused link shows a visible outline');

    check(external.length === 0, 'no request leaves the server (no external font, script or image)' + (external.length ? ': ' + external.join(' ') : ''));
    check(cspErrors.length === 0, 'no Content-Security-Policy violation' + (cspErrors.length ? ': ' + cspErrors[0] : ''));

    // Without JavaScript, the same path works.
    const plain = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
    const p2 = await plain.newPage();
    await p2.goto(base + '/');
    check(p2.url() === base + '/en/', 'an English browser lands on /en/');
    await p2.fill('#q', 'school water');
    await Promise.all([p2.waitForURL(/\/en\/search\?q=school/), p2.press('#q', 'Enter')]);
    check(await p2.locator('ol.hits > li').count() > 0, 'search works without JavaScript');
    await p2.screenshot({ path: path.join(outDir, 'results-en-nojs.png'), fullPage: true });
    await plain.close();
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(failures() ? `${failures()} check(s) failed` : 'all checks passed');
  process.exit(failures() ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

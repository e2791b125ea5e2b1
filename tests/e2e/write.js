// End-to-end test of signing in, writing and reviewing in Debian's chromium (playwright-core),
// as the people would: a partner signs in and reads a partners-only practice; an author
// writes a note with a mistake, sees the message at its field, corrects it and submits; a
// reviewer returns it with a comment; the author amends it; the reviewer publishes it; it is
// found by search within 2 s, its attached PDF's words included (at their page); everyone
// signs out. The forms are used without JavaScript, at phone size, and axe-core checks the
// new pages.
// Usage: node write.js PASSERELLE CONTENT_DIR OUT_DIR  (CTest passes them; exits 1 on failure)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { checker, serve, makePdf } = require('./support');

const [passerelle, content, outDir] = process.argv.slice(2);
if (!passerelle || !content || !outDir) {
  console.error('usage: node write.js PASSERELLE CONTENT_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const { check, failures } = checker();

// A copy of the content (the server writes into it), its index, three accounts, and
// `passerelle serve --content` on a free loopback port.
async function startServer() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'passerelle-write-'));
  const copy = path.join(work, 'content');
  fs.cpSync(content, copy, { recursive: true });
  const db = path.join(work, 'db');
  execFileSync(passerelle, ['index', copy, '--db', db, '-q'], { stdio: 'ignore' });
  const user = (name, role, rights, password) =>
    execFileSync(passerelle, ['user', 'add', name, '--db', db, '--role', role].concat(rights ? ['--rights', rights] : []),
                 { input: password + '\n', stdio: ['pipe', 'ignore', 'inherit'] });
  user('ugb', 'partners', '', 'partenaire-ugb-2024');
  user('awa', 'partners', 'author', 'sel-de-saloum-2024');
  user('relecteur', 'internal', 'reviewer', 'relecture-lille-2024');
  const { server, base } = await serve(passerelle, ['--db', db, '--content', copy]);
  return { server, base, work, copy };
}

// axe-core is injected as a script, which the site's CSP forbids: it runs in contexts that
// bypass the CSP (signed in as the page's user), on the same URLs.
async function axe(context, url, name) {
  const page = await context.newPage();
  await page.goto(url);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] } }));
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of r.violations) console.log(`     axe ${name}: ${v.impact} ${v.id} (${v.nodes.length})`);
  check(bad.length === 0, `axe: no serious or critical violation on the ${name} page`);
  await page.close();
}

async function signIn(page, base, name, password) {
  await page.goto(base + '/fr/');
  await page.click('header >> text=Se connecter');
  await page.fill('#name', name);
  await page.fill('#password', password);
  await page.click('form.sign-in button');
}

async function main() {
  const { server, base, work, copy } = await startServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  const phone = { viewport: { width: 375, height: 800 }, locale: 'fr-FR', javaScriptEnabled: false };
  try {
    const axeAuthor = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const axeReviewer = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    await signIn(await axeAuthor.newPage(), base, 'awa', 'sel-de-saloum-2024');
    await signIn(await axeReviewer.newPage(), base, 'relecteur', 'relecture-lille-2024');
    // A partner signs in from the page of a partners-only practice and comes back to it.
    const partner = await (await browser.newContext(phone)).newPage();
    await partner.goto(base + '/fr/documents/gp-plateformes-demonstratives');
    const before = await partner.content();
    await partner.click('header >> text=Se connecter');
    await partner.fill('#name', 'ugb');
    await partner.fill('#password', 'partenaire-ugb-2024');
    await partner.click('form.sign-in button');
    check(partner.url().endsWith('/fr/documents/gp-plateformes-demonstratives'), 'after signing in, the browser is back on the practice');
    const lesson = await partner.content();
    check(!before.includes('plateformes énergétiques démonstratives') && lesson.includes('plateformes énergétiques démonstratives'),
          'the partners-only practice shows once signed in');
    check((await partner.locator('.who').textContent()).includes('ugb'), 'the page says who is signed in');
    const cookies = await partner.context().cookies();
    const session = cookies.find((c) => c.name === 'passerelle_session');
    check(session && session.httpOnly && session.sameSite === 'Lax', 'the session cookie is HttpOnly and SameSite=Lax');
    await partner.screenshot({ path: path.join(outDir, 'partner-lesson.png'), fullPage: true });
    await axe(axeAuthor, base + '/fr/sign-in', 'sign-in');

    // An author writes a note with a mistake, sees it at its field, corrects it and submits.
    const author = await (await browser.newContext(phone)).newPage();
    await signIn(author, base, 'awa', 'sel-de-saloum-2024');
    await author.click('header >> text=Écrire');
    await author.click('text=Nouvelle note');
    await author.selectOption('#kind', 'lesson');
    await author.fill('#title', 'Les puits maraîchers de Diamaguène');
    await author.fill('#summary', 'Un comité de gestion dès le départ.');
    await author.fill('#body', '# Constat\n\nLes puits sans comité de gestion tombent en panne (zanzibarpuits).');
    await author.fill('#date', '2020-13');
    await author.fill('#countries', 'SN');
    await author.click('button[value=submit]');
    const dateError = await author.locator('#f-date .field-error').textContent();
    check(dateError.includes('Date invalide'), 'the date error shows beside the date field, in French');
    check(await author.inputValue('#title') === 'Les puits maraîchers de Diamaguène' &&
          (await author.inputValue('#body')).includes('zanzibarpuits'), 'nothing typed is lost');
    await author.screenshot({ path: path.join(outDir, 'note-error.png'), fullPage: true });
    await author.fill('#date', '2020-11');
    await author.click('button[value=save]');
    check(author.url().includes('/fr/notes/edit?id=') && (await author.content()).includes('Brouillon enregistré'),
          'the corrected note is saved as a draft');
    // The original report as a PDF (the type is read from its bytes).
    // Its page 2 alone has the word "buseciment", which the note's text does not.
    await author.setInputFiles('#file', { name: 'Rapport Diamaguène.pdf', mimeType: 'application/pdf',
                                          buffer: makePdf(['Rapport de suivi des puits de Diamaguene.',
                                                           'Les buses en ciment (buseciment) ont tenu trois hivernages.']) });
    await author.click('#f-attachments button');
    check((await author.locator('#f-attachments').textContent()).includes('rapport-diamaguene.pdf'), 'the PDF is attached');
    await author.screenshot({ path: path.join(outDir, 'note-attached.png'), fullPage: true });
    await author.click('button[value=submit]');
    check(author.url().includes('/fr/notes?done=submitted'), 'the corrected note is submitted');

    // A reviewer returns it with a comment.
    const reviewer = await (await browser.newContext({ ...phone, viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(reviewer, base, 'relecteur', 'relecture-lille-2024');
    check((await reviewer.locator('header').textContent()).includes('Notes à relire (1)'), 'the reviewer sees the queue count');
    await reviewer.click('header >> text=Notes à relire');
    await reviewer.click('text=Les puits maraîchers');
    await reviewer.fill('#comment', 'Précisez le nombre de puits.');
    await reviewer.click('button[value=return]');
    check(reviewer.url().includes('done=returned'), 'the reviewer returns it with a comment');

    // The author reads the comment, amends the note and submits it again.
    await author.goto(base + '/fr/notes');
    check((await author.content()).includes('Précisez le nombre de puits.'), 'the author sees the comment');
    await author.click('text=Les puits maraîchers');
    await author.fill('#body', '# Constat\n\nLes 12 puits sans comité de gestion tombent en panne (zanzibarpuits).');
    await author.click('button[value=submit]');
    check(author.url().includes('done=submitted'), 'the amended note is submitted again');

    // The reviewer publishes it; search finds it within 2 s.
    await reviewer.goto(base + '/fr/review');
    await reviewer.click('text=Les puits maraîchers');
    await axe(axeReviewer, reviewer.url(), 'review');
    await reviewer.click('button[value=publish]');
    check(reviewer.url().includes('done=published'), 'the reviewer publishes it');
    // Found by search within 2 s, by a word that is only in its attached PDF: the hit says
    // which page holds it, and the PDF downloads.
    const start = Date.now();
    let found = false;
    while (!found && Date.now() - start < 2000) {
      await author.goto(base + '/fr/search?q=buseciment');
      found = (await author.content()).includes('Diamaguène');
    }
    const ms = Date.now() - start;
    check(found, `the published note is found by a word of its PDF within 2 s (${ms} ms)`);
    const inPdf = author.locator('.in-att');
    check(found && (await inPdf.textContent()).includes('Dans le PDF joint, p. 2'), 'the hit says the words are on page 2 of the PDF');
    await author.screenshot({ path: path.join(outDir, 'found-in-pdf.png'), fullPage: true });
    const [download] = await Promise.all([author.waitForEvent('download'), inPdf.locator('a').click()]);
    check(download.suggestedFilename() === 'rapport-diamaguene.pdf', 'the PDF downloads under its name');
    await author.goto(base + '/fr/search?q=zanzibarpuits');
    check((await author.content()).includes('Diamaguène'), 'the note\'s own words find it too');
    check(fs.existsSync(path.join(copy, 'lessons')) &&
          fs.readdirSync(path.join(copy, 'lessons')).some((f) => f.includes('diamaguene')), 'the note is a Markdown file in content/lessons/');
    await author.screenshot({ path: path.join(outDir, 'note-found.png'), fullPage: true });
    await author.goto(base + '/fr/notes/new');
    await axe(axeAuthor, author.url(), 'note form');
    await axe(axeAuthor, base + '/fr/translations', 'translations');

    // Everyone signs out.
    for (const page of [partner, author, reviewer]) {
      await page.goto(base + '/fr/');
      await page.click('.sign-out button');
      check((await page.content()).includes('Se connecter'), 'signed out');
    }
    await partner.goto(base + '/fr/documents/gp-plateformes-demonstratives');
    check(!(await partner.content()).includes('plateformes énergétiques démonstratives'), 'the practice is hidden again after signing out');
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

#!/usr/bin/env node
// The web page dossierd serves (/ui/), in a real browser: Debian's chromium,
// headless, driven over the DevTools protocol by puppeteer-core (test tooling
// from npm, tests/ui/package.json; it downloads no browser). A small corpus is
// written and ingested with the built `dossier`, real dossierd processes serve
// it (one open, one with --token-file, one over an empty archive), and each
// view must render the archive's content, not only the page's shell.
//
// Run by ctest (tests/CMakeLists.txt, UiBrowserTest):
//   node tests/ui/ui_test.js --dossier BIN --dossierd BIN --plugin-dir DIR --out DIR
// Needs /usr/bin/chromium (or $DOSSIER_CHROMIUM) and `npm ci --prefix tests/ui`
// (both installed by `bash scripts/install-deps.sh --test`): without them it FAILS.
'use strict';

const { test, after, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const DOSSIER = option('dossier');
const DOSSIERD = option('dossierd');
const PLUGIN_DIR = option('plugin-dir');
const OUT = option('out', path.join(os.tmpdir(), 'dossier-ui-test'));
const CHROMIUM = process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium';

// ---- prerequisites: missing ones fail the test, with what to do ----
let puppeteer;
try {
  puppeteer = require('puppeteer-core');
} catch (e) {
  console.error('ui_test.js: FAILED: puppeteer-core is not installed in tests/ui/node_modules.\n' +
                'Install the test tooling with: bash scripts/install-deps.sh --test (runs npm ci --prefix tests/ui)\n' + e.message);
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`ui_test.js: FAILED: no browser at ${CHROMIUM}. Install Debian's chromium with: bash scripts/install-deps.sh --test`);
  process.exit(1);
}
for (const [name, file] of [['--dossier', DOSSIER], ['--dossierd', DOSSIERD]]) {
  if (!file || !fs.existsSync(file)) {
    console.error(`ui_test.js: FAILED: ${name} ${file || '(missing)'}: not a built binary`);
    process.exit(1);
  }
}

// ---- the corpus ----
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-ui-'));
fs.mkdirSync(OUT, { recursive: true });

function write(rel, text) {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function makeCorpus() {
  write('in/eval.txt',
    'EVALUATION OF THE COASTAL FISHERIES PROGRAMME\nDate: 10 January 2025\n\n' +
    'The Fisheries Department (FD) and the International Organization for Migration (IOM) worked on decentralization of licensing.\n\n' +
    'RECOMMENDATIONS\n' +
    'Recommendation 1. The Fisheries Department (FD) should license every boat in the coastal districts.\n' +
    'Management response: Accepted.\n' +
    'Key action\tTime frame\tResponsible unit\tStatus\n' +
    '1.1 Register the boats.\tQ1 2025\tFD\tInitiated\n' +
    '1.2 Issue the licences.\tBy 31 December 2025\tFD; Legal Unit\tNot started\n' +
    '1.3 Review the fees.\tOngoing\tFD\tInitiated\n' +
    'Recommendation 2. FD should publish its catch data every quarter.\n' +
    'Management response: Not accepted. The data belong to the ministry.\n');
  write('in/update.txt',
    'PROGRESS UPDATE ON THE COASTAL FISHERIES PROGRAMME\nDate: 15 March 2026\n\n' +
    'Recommendation 1. The Fisheries Department (FD) should license every boat in the coastal districts.\n' +
    'Key action\tTime frame\tResponsible unit\tStatus\n' +
    '1.1 Register the boats.\tQ1 2025\tFD\tCompleted\n');
  // Twelve memos about decentralization, so a search has two pages of results.
  for (let i = 1; i <= 12; i++) {
    write(`in/memo${String(i).padStart(2, '0')}.txt`,
      `MEMO ${i} ON DISTRICT OFFICES\nDate: ${3 + (i % 9)} June ${2018 + (i % 3)}\n\n` +
      `Memo number ${i} on decentralization and staffing of the district offices, and of water committee number ${i}.\f` +
      `Annex ${i}: the list of offices visited in round ${i}.`);
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}
function dossier(data, ...args) {
  return run(DOSSIER, ['--data', data, ...(PLUGIN_DIR ? ['--plugin-dir', PLUGIN_DIR] : []), ...args]);
}

const servers = [];
// Starts dossierd on a free port; resolves with its base URL once /health answers.
function startServer(data, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(DOSSIERD, ['--data', data, '--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    servers.push(child);
    let log = '';
    const timer = setTimeout(() => reject(new Error('dossierd did not start within 15 s:\n' + log)), 15000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m && !child.base) {
        child.base = m[1];
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); if (!child.base) reject(new Error(`dossierd exited with ${code}:\n${log}`)); });
  });
}

let browser, base, tokenBase, emptyBase, ids = {};

before(async () => {
  makeCorpus();
  dossier(path.join(tmp, 'data'), 'ingest', '-q', path.join(tmp, 'in'));
  fs.mkdirSync(path.join(tmp, 'nothing'));
  dossier(path.join(tmp, 'empty'), 'ingest', '-q', path.join(tmp, 'nothing'));
  const docs = JSON.parse(dossier(path.join(tmp, 'data'), 'documents', '--json', '--limit', '100')).documents;
  for (const d of docs) ids[d.title] = d.id;
  assert.ok(ids['EVALUATION OF THE COASTAL FISHERIES PROGRAMME'], 'the evaluation was ingested: ' + JSON.stringify(ids));
  fs.writeFileSync(path.join(tmp, 'token'), 's3cret-token\n');
  [base, tokenBase, emptyBase] = await Promise.all([
    startServer(path.join(tmp, 'data'), ['-q']),
    startServer(path.join(tmp, 'data'), ['-q', '--token-file', path.join(tmp, 'token')]),
    startServer(path.join(tmp, 'empty'), ['-q']),
  ]);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,  // chromium's new headless mode (--headless=new)
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--lang=en-GB'],
  });
});

after(async () => {
  for (const child of servers) child.kill('SIGTERM');
  if (browser) {
    await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]);
    const proc = browser.process();
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function newPage(width = 1280, height = 900) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d|status of 503/.test(m.text())) page.errors.push(m.text()); });
  return page;
}

// The number of views rendered so far in this page (main[data-rendered]).
const rendered = (page) => page.evaluate(() => Number(document.querySelector('main').dataset.rendered || 0));

async function waitRendered(page, before = 0) {
  await page.waitForFunction((n) => Number(document.querySelector('main').dataset.rendered || 0) > n, { timeout: 15000 }, before);
}
async function visit(page, url) {
  const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitRendered(page, 0);
  return response;
}
// Clicks `selector` (an in-page link or button that changes the view) and waits for the new view.
async function clickAndWait(page, selector) {
  const n = await rendered(page);
  await page.click(selector);
  await waitRendered(page, n);
}
// Clicks a download link as a user would and returns the saved file's text.
async function download(page, selector) {
  const dir = fs.mkdtempSync(path.join(tmp, 'download-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
  const name = await page.$eval(selector, (a) => a.getAttribute('download'));
  await page.click(selector);
  const file = path.join(dir, name);
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(file), 'downloaded ' + name + ': ' + fs.readdirSync(dir).join(', '));
  return fs.readFileSync(file, 'utf8');
}
const text = (page, selector) => page.$eval(selector, (e) => e.textContent);
const texts = (page, selector) => page.$$eval(selector, (list) => list.map((e) => e.textContent.trim()));

test('/ redirects to /ui/, which shows the archive', async () => {
  const page = await newPage();
  const response = await visit(page, base + '/');
  assert.equal(new URL(page.url()).pathname, '/ui/');
  const chain = response.request().redirectChain();
  assert.equal(chain.length, 1);
  assert.equal(chain[0].response().status(), 302);
  assert.match(await text(page, '#archive-size'), /^14 documents, 26 pages in the archive\.$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('search: results, snippet highlights, facets, total, paging, help; a deep link loads directly', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/search?q=decentralization');
  assert.equal(await text(page, '#total'), '13 documents match');
  const titles = await texts(page, 'ol.results h2');
  assert.equal(titles.length, 10);
  // Memos of the same length tie: which ten come first is the index's order.
  assert.ok(titles.every((t) => /^MEMO \d+ ON DISTRICT OFFICES$|^EVALUATION OF THE COASTAL FISHERIES PROGRAMME$/.test(t)), titles.join(' | '));
  assert.equal(new Set(titles).size, 10);
  // The snippet's <mark> is an element; the text around it is text.
  const marks = await texts(page, 'ol.results .snippet mark');
  assert.ok(marks.length >= 10 && marks.every((m) => m.toLowerCase() === 'decentralization'), marks.join(','));
  assert.equal(await page.$$eval('ol.results .snippet', (l) => l.filter((e) => e.innerHTML.includes('&lt;mark')).length), 0);
  const meta = await texts(page, 'ol.results .meta');
  assert.ok(meta.some((m) => /best page 1 · plain text · en/.test(m)), meta.join(' | '));
  // Facets: years and organisations with their counts.
  const facets = await texts(page, '.facets a');
  assert.ok(facets.includes('International Organization for Migration (1)'), facets.join(' | '));
  assert.ok(facets.includes('2019 (4)'), facets.join(' | '));
  // Language and text source, counted over the matches too.
  assert.ok(facets.includes('en (13)'), facets.join(' | '));
  assert.ok(facets.includes('plain text (13)'), facets.join(' | '));
  // The help popover opens with the query syntax.
  await page.click('details.help summary');
  assert.ok((await text(page, 'details.help')).includes('"best practice"'));
  // Paging moves on.
  await clickAndWait(page, 'a[rel="next"]');
  assert.match(page.url(), /offset=10/);
  assert.equal(await page.$eval('ol.results', (e) => e.getAttribute('start')), '11');
  const second = await texts(page, 'ol.results h2');
  assert.equal(second.length, 3);
  assert.ok(second.every((t) => !titles.includes(t)), second.join(' | '));
  assert.equal(new Set([...titles, ...second]).size, 13);
  assert.ok([...titles, ...second].includes('EVALUATION OF THE COASTAL FISHERIES PROGRAMME'));
  await clickAndWait(page, 'a[rel="prev"]');
  assert.doesNotMatch(page.url(), /offset=/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('search: clicking a facet narrows the results; the filter can be removed', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/search?q=decentralization');
  await clickAndWait(page, '.facets a[data-facet="entity"]');
  assert.match(page.url(), /org=/);
  const total = await text(page, '#total');
  assert.match(total, /^1 document match$/, total);
  assert.deepEqual(await texts(page, 'ol.results h2'), ['EVALUATION OF THE COASTAL FISHERIES PROGRAMME']);
  await clickAndWait(page, 'ul.chips a');
  assert.equal(await text(page, '#total'), '13 documents match');
  // A year facet narrows to that year's documents.
  await clickAndWait(page, '.facets a[data-facet="year"]');
  assert.match(page.url(), /year_from=(\d{4})&year_to=\1/);
  assert.match(await text(page, '#total'), /^4 documents match$/);
  // A source facet narrows by how the text was read.
  await clickAndWait(page, '.facets a[data-facet="source"]');
  assert.match(page.url(), /source=plain_text/);
  assert.match(await text(page, '#total'), /^4 documents match$/);
  await page.close();
});

test('search form: typing a query and pressing Enter shows its results', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/search');
  await page.type('#f-q', 'licences');
  const n = await rendered(page);
  await page.keyboard.press('Enter');
  await waitRendered(page, n);
  assert.match(page.url(), /\/ui\/search\?q=licences$/);
  assert.equal(await text(page, '#total'), '1 document match');
  // The language filter lists the archive's languages (/v1/stats) and filters by one.
  assert.deepEqual(await texts(page, '#f-lang option'), ['any', 'en (14 in the archive)']);
  await page.select('#f-lang', 'en');
  const m = await rendered(page);
  await page.click('form.filters button[type="submit"]');
  await waitRendered(page, m);
  assert.match(page.url(), /\/ui\/search\?q=licences&lang=en$/);
  assert.equal(await text(page, '#total'), '1 document match');
  assert.ok((await texts(page, 'ul.chips a')).includes('language: en ✕'));
  await page.close();
});

test('a document: metadata, paths, pages with the query marked, recommendations, responses, key actions, entities', async () => {
  const page = await newPage();
  const id = ids['EVALUATION OF THE COASTAL FISHERIES PROGRAMME'];
  await visit(page, `${base}/ui/documents/${id}?q=licensing#page-1`);
  assert.equal(await text(page, 'h1'), 'EVALUATION OF THE COASTAL FISHERIES PROGRAMME');
  const meta = await text(page, 'dl.meta');
  assert.ok(meta.includes(path.join(tmp, 'in/eval.txt')), meta);
  assert.ok(meta.includes('2025-01-10'), meta);
  const pageText = await text(page, '#page-1 .page-text');
  assert.ok(pageText.includes('1.2 Issue the licences.'), pageText);
  assert.deepEqual(await texts(page, '#page-1 .page-text mark'), ['licensing']);
  const tables = await texts(page, '.table-wrap');
  assert.ok(tables[0].includes('should license every boat in the coastal districts'), tables[0]);
  assert.ok(tables[0].includes('not accepted') && tables[0].includes('The data belong to the ministry.'), tables[0]);
  assert.ok(tables[1].includes('Issue the licences.') && tables[1].includes('Fisheries Department; Legal Unit'), tables[1]);
  assert.ok((await texts(page, '#entities a')).includes('Legal Unit'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('recommendations: who must act, due, response, source page; sorting; CSV with the right rows', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/recommendations?responsible=Fisheries%20Department');
  assert.equal(await page.$eval('#f-responsible', (e) => e.value), 'Fisheries Department');
  assert.equal(await text(page, '#total'), '3 recommendations');
  const rows = await page.$$eval('tbody tr', (l) => l.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  assert.equal(rows.length, 3);
  const publish = rows.find((r) => r[0] === 'FD should publish its catch data every quarter.');
  assert.ok(publish, JSON.stringify(rows));
  assert.equal(publish[1], 'Fisheries Department');
  assert.equal(publish[3], 'not accepted');
  assert.equal(publish[6], 'p. 1');
  assert.ok(await page.$eval('tbody a[href^="/ui/entities/O%3A"]', (a) => a.textContent === 'Fisheries Department'));
  // Sorting by response puts "accepted" first, then reversed.
  await page.click('th:nth-child(4) button.sort');
  assert.equal(await page.$eval('th:nth-child(4)', (e) => e.getAttribute('aria-sort')), 'ascending');
  assert.equal(await page.$eval('tbody tr td:nth-child(4)', (e) => e.textContent), 'accepted');
  await page.click('th:nth-child(4) button.sort');
  assert.equal(await page.$eval('tbody tr td:nth-child(4)', (e) => e.textContent), 'not accepted');
  // The CSV holds the rows shown.
  assert.equal(await page.$eval('a.csv', (a) => a.getAttribute('download')), 'recommendations.csv');
  const csvText = await download(page, 'a.csv');
  const lines = csvText.trimEnd().split('\r\n');
  assert.equal(lines[0], 'document,title,page,recommendation,responsible,due,response_status,response,text');
  assert.equal(lines.length, 4, csvText);
  assert.ok(lines.some((l) => l.endsWith(',Fisheries Department,,not accepted,The data belong to the ministry.,FD should publish its catch data every quarter.')), csvText);
  // With one row a page, the CSV still holds every match: the page reads the
  // others from the API before the download (the same rows, one per line).
  await visit(page, base + '/ui/recommendations?responsible=Fisheries%20Department&limit=1');
  assert.equal((await texts(page, 'tbody tr')).length, 1);
  assert.equal(await text(page, 'a.csv'), 'Download CSV (3 rows)');
  const everyRow = await download(page, 'a.csv');
  assert.deepEqual(everyRow.trimEnd().split('\r\n').sort(), lines.slice().sort(), everyRow);
  await page.close();
});

test('key actions: overdue follow-up table with filters and a CSV', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/actions?overdue_as_of=2026-01-01');
  assert.equal(await text(page, '#total'), '1 key action, status as of 2026-01-01');
  const row = await page.$$eval('tbody tr td', (l) => l.map((td) => td.textContent.trim()));
  assert.deepEqual(row.slice(0, 7), ['1.2', 'Issue the licences.', 'Fisheries Department; Legal Unit', 'By 31 December 2025', '2025-12-31', 'Not started', 'overdue']);
  const csvText = await download(page, 'a.csv');
  assert.equal(csvText.split('\r\n')[0], 'document,title,page,recommendation,action,responsible,time_frame,start,due,status,overdue,text');
  assert.ok(csvText.includes(',1,1.2,Fisheries Department; Legal Unit,By 31 December 2025,,2025-12-31,not started,true,Issue the licences.\r\n'), csvText);
  assert.equal(csvText.trimEnd().split('\r\n').length, 2);
  // The status filter, by keyboard-free form use: all initiated actions.
  await visit(page, base + '/ui/actions?as_of=2025-06-01');
  await page.select('#f-status', 'initiated');
  const n = await rendered(page);
  await page.click('form.filters button[type="submit"]');
  await waitRendered(page, n);
  assert.match(page.url(), /status=initiated/);
  assert.deepEqual(await page.$$eval('tbody tr td:nth-child(2)', (l) => l.map((e) => e.textContent)), ['Review the fees.']);
  await page.close();
});

test('follow-up: per unit and per evaluation, linking to the filtered action lists', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/followup?as_of=2026-01-01');
  assert.match(await text(page, '#total'), /^3 key actions, as of 2026-01-01/);
  const units = await page.$$eval('.table-wrap:first-of-type tbody tr', (l) => l.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  const fd = units.find((u) => u[0] === 'Fisheries Department');
  assert.ok(fd, JSON.stringify(units));
  assert.deepEqual(fd.slice(1, 3), ['3', '1']);
  const evals = await texts(page, 'tbody a[href^="/ui/documents/"]');
  assert.ok(evals.includes('EVALUATION OF THE COASTAL FISHERIES PROGRAMME'), evals.join(' | '));
  await clickAndWait(page, 'a.overdue-yes[href*="responsible=Legal+Unit"]');
  assert.equal(new URL(page.url()).pathname, '/ui/actions');
  assert.equal(new URL(page.url()).searchParams.get('overdue_as_of'), '2026-01-01');
  assert.deepEqual(await page.$$eval('tbody tr td:nth-child(2)', (l) => l.map((e) => e.textContent)), ['Issue the licences.']);
  await page.close();
});

test('an entity: name, aliases, documents and pages, recommendations and actions, neighbours', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/entities/Fisheries%20Department');
  assert.equal(await text(page, 'h1'), 'Fisheries Department');
  assert.ok((await text(page, 'dl.meta')).includes('FD'));
  const all = await text(page, 'main');
  assert.ok(all.includes('PROGRESS UPDATE ON THE COASTAL FISHERIES PROGRAMME'), all);
  assert.ok(all.includes('FD should publish its catch data every quarter.'));
  assert.ok(all.includes('Register the boats.'));
  const neighbours = await page.$$eval('.table-wrap[aria-label="Graph neighbours"] tbody tr', (l) => l.map((tr) => tr.textContent));
  assert.ok(neighbours.some((r) => r.startsWith('mentions')), neighbours.join(' | '));
  // Its page links lead to the document's page.
  await clickAndWait(page, 'a[href$="#page-1"]');
  assert.match(page.url(), /\/ui\/documents\/[0-9a-f]{16}#page-1$/);
  assert.ok(await page.$('#page-1 .page-text'));
  await page.close();
});

test('API errors are shown in plain words', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/search?q=water&limit=abc');
  const error = await text(page, '.error');
  assert.match(error, /The request was not accepted:\s*limit: expected an integer/);
  await visit(page, base + '/ui/documents/0123456789abcdef');
  assert.match(await text(page, '.error'), /Not found:\s*no document with id 0123456789abcdef/);
  await visit(page, base + '/ui/actions?overdue_as_of=2024-13-01');
  assert.match(await text(page, '.error'), /overdue_as_of/);
  await page.close();
});

test('an empty archive says how to ingest', async () => {
  const page = await newPage();
  await visit(page, emptyBase + '/ui/');
  assert.match(await text(page, '#empty-archive'), /The archive is empty.*dossier ingest FOLDER/s);
  await visit(page, emptyBase + '/ui/search?q=anything');
  assert.match(await text(page, '#empty-archive'), /dossier ingest FOLDER/);
  await visit(page, emptyBase + '/ui/recommendations');
  assert.match(await text(page, '#empty-archive'), /dossier ingest FOLDER/);
  await page.close();
});

test('with --token-file the page asks for the token once, again when wrong, and keeps it for the tab', async () => {
  const page = await newPage();
  await page.goto(tokenBase + '/ui/search?q=decentralization', { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#token');
  assert.match(await text(page, 'main'), /asks for an access token/);
  await page.type('#token', 'not-the-token');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('main .error') && document.querySelector('#token'));
  assert.match(await text(page, 'main .error'), /The token was not accepted \(the server said: wrong bearer token\)/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('dossier.token')), null);
  await page.type('#token', 's3cret-token');
  const n = await rendered(page);
  await page.click('button[type="submit"]');
  await waitRendered(page, n);
  assert.equal(await text(page, '#total'), '13 documents match');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('dossier.token')), 's3cret-token');
  // A reload keeps it: no prompt.
  await visit(page, tokenBase + '/ui/followup?as_of=2026-01-01');
  assert.equal(await page.$('#token'), null);
  assert.match(await text(page, '#total'), /^3 key actions/);
  await page.close();
});

test('usable at 360 px: no horizontal page overflow, tables scroll in their box', async () => {
  const page = await newPage(360, 740);
  const id = ids['EVALUATION OF THE COASTAL FISHERIES PROGRAMME'];
  for (const url of ['/ui/', '/ui/search?q=decentralization', `/ui/documents/${id}?q=boats`, '/ui/recommendations',
                     '/ui/actions?as_of=2026-01-01', '/ui/followup?as_of=2026-01-01', '/ui/entities/Fisheries%20Department']) {
    await visit(page, base + url);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `${url}: the page is ${scroll} px wide in a ${client} px window`);
  }
  await page.close();
});

test('keyboard: the focus is visible, the skip link and the navigation are reachable', async () => {
  const page = await newPage();
  await visit(page, base + '/ui/search?q=decentralization');
  const focused = async () => page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { text: e.textContent.trim(), tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  await page.keyboard.press('Tab');
  let f = await focused();
  assert.equal(f.text, 'Skip to content');
  assert.notEqual(f.outline, 'none');
  assert.ok(f.width >= 2, JSON.stringify(f));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  f = await focused();
  assert.equal(f.text, 'Search');
  assert.ok(f.outline !== 'none' && f.width >= 2, JSON.stringify(f));
  // Enter on a focused link follows it.
  await page.keyboard.press('Tab');
  const n = await rendered(page);
  await page.keyboard.press('Enter');
  await waitRendered(page, n);
  assert.equal(new URL(page.url()).pathname, '/ui/recommendations');
  await page.close();
});

test('contrast: every text on the views meets WCAG AA (4.5:1) against its background', async () => {
  const page = await newPage();
  const id = ids['EVALUATION OF THE COASTAL FISHERIES PROGRAMME'];
  for (const url of ['/ui/search?q=decentralization', `/ui/documents/${id}?q=licences`, '/ui/actions?as_of=2026-01-01',
                     '/ui/followup?as_of=2026-01-01', '/ui/search?q=x&limit=abc']) {
    await visit(page, base + url);
    const low = await page.evaluate(() => {
      const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (e) => {
        for (; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const out = [];
      let checked = 0;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const e = n.parentElement;
        if (!n.textContent.trim() || !e.checkVisibility() || e.closest('.sr-only, .skip, option')) continue;
        checked++;
        const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) out.push(`${e.tagName}.${e.className} "${n.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
      }
      return { checked, out };
    });
    assert.ok(low.checked >= 8, `${url}: ${low.checked} texts`);
    assert.deepEqual(low.out, [], url);
  }
  await page.close();
});

test('screenshots at 1280 px and 390 px', async () => {
  const id = ids['EVALUATION OF THE COASTAL FISHERIES PROGRAMME'];
  const shots = [['search', '/ui/search?q=decentralization'], ['document', `/ui/documents/${id}?q=licences`],
    ['recommendations', '/ui/recommendations'], ['actions', '/ui/actions?as_of=2026-01-01'],
    ['followup', '/ui/followup?as_of=2026-01-01'], ['entity', '/ui/entities/Fisheries%20Department']];
  for (const width of [1280, 390]) {
    const page = await newPage(width, width === 1280 ? 800 : 844);
    for (const [name, url] of shots) {
      await visit(page, base + url);
      const file = path.join(OUT, `${name}-${width}.png`);
      await page.screenshot({ path: file });
      assert.ok(fs.statSync(file).size > 5000, file);
    }
    await page.close();
  }
});

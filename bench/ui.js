#!/usr/bin/env node
// Web page benchmark: how long the search view takes to render once the API
// has answered, over an archive of 10,000 documents (issue 19: under 300 ms).
// Starts dossierd on DATA (read only, as always: a secondary RocksDB instance
// and Xapian readers), opens /ui/search in Debian's chromium (headless, via
// puppeteer-core from tests/ui/node_modules), then runs 20 searches inside the
// page (window.dossier.navigate, as a click on a link or a facet does) and
// reads, for each, the page's own timing (ui/js/app.js, window.dossier.last):
//   render: from the API's response headers arriving to the view painted
//           (body download and JSON parse included), the figure the issue asks for;
//   total:  from the navigation to the view painted (API time included).
// The queries are the first 20 of bench/gen_corpus.py's (seed 7): words, OR,
// phrases, wildcards, year filters.
//
// Usage: node bench/ui.js [--dossierd build/bin/dossierd] [--data /tmp/dossier-items-bench/data] [--limit 10]
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const option = (name, fallback) => { const i = process.argv.indexOf('--' + name); return i >= 0 ? process.argv[i + 1] : fallback; };
const root = path.resolve(__dirname, '..');
const DOSSIERD = option('dossierd', path.join(root, 'build/bin/dossierd'));
const DATA = option('data', '/tmp/dossier-items-bench/data');
const LIMIT = option('limit', '');
const CHROMIUM = process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium';
let puppeteer;
try { puppeteer = require(path.join(root, 'tests/ui/node_modules/puppeteer-core')); } catch {
  console.error('bench/ui.js: puppeteer-core missing: npm ci --prefix tests/ui (bash scripts/install-deps.sh --test)');
  process.exit(1);
}
if (!fs.existsSync(path.join(DATA, 'rocksdb'))) { console.error(`bench/ui.js: ${DATA} is not a data folder`); process.exit(1); }

const QUERIES = [
  'q=weak&year_from=2013&year_to=2022', 'q=visits%20OR%20sameldor', 'q=dis*', 'q=where', 'q=des*', 'q=basada',
  'q=delayed', 'q=each', 'q=nutrition%20solvania&limit=20', 'q=decentralized%20melmosa', 'q=key',
  'q=three%20dorpedordor', 'q=fewer%20OR%20kabrolinri', 'q=%22the%20monitoring%20framework%22',
  'q=decentralized&year_from=2005&year_to=2020', 'q=analiza%20cambios', 'q=gradual',
  'q=voluntarias&year_from=2010&year_to=2017', 'q=%22the%20results%20framework%22', 'q=median%20quitenpesul',
].map((q) => (LIMIT && !/limit=/.test(q) ? `${q}&limit=${LIMIT}` : q));

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(DOSSIERD, ['--data', DATA, '--listen', '127.0.0.1:0', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      log += c;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m && /ready: data folder/.test(log)) resolve({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`dossierd exited ${code}: ${log}`)));
    setTimeout(() => reject(new Error('dossierd not ready in 30 s: ' + log)), 30000);
  });
}

const pct = (xs, p) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]; };

(async () => {
  const { child, base } = await start();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(base + '/ui/search', { waitUntil: 'networkidle0' });
    const docs = await page.evaluate(() => document.querySelector('#archive-size') && document.querySelector('#archive-size').textContent);
    console.log(`archive: ${docs || '?'} (${DATA})`);
    const render = [], total = [], after = [];
    for (const q of QUERIES) {
      const n = await page.evaluate(() => window.dossier.renders);
      await page.evaluate((url) => window.dossier.navigate(url), '/ui/search?' + q);
      await page.waitForFunction((k) => window.dossier.renders > k, { timeout: 30000 }, n);
      const last = await page.evaluate(() => window.dossier.last);
      const hits = await page.evaluate(() => document.querySelectorAll('ol.results > li').length);
      if (!last || last.view !== 'search') throw new Error('no search view for ' + q + ': ' + (await page.evaluate(() => document.querySelector('main').textContent)));
      render.push(last.renderMs); total.push(last.totalMs); after.push(last.afterParseMs);
      console.log(`${decodeURIComponent(q).padEnd(46)} ${String(hits).padStart(3)} hits  render ${last.renderMs.toFixed(1).padStart(6)} ms  (after parse ${last.afterParseMs.toFixed(1).padStart(5)} ms)  total ${last.totalMs.toFixed(1).padStart(6)} ms`);
    }
    console.log(`render after the API answered: p50 ${pct(render, 0.5).toFixed(1)} ms, max ${Math.max(...render).toFixed(1)} ms (target < 300 ms) over ${render.length} searches`);
    console.log(`  of which after the JSON was parsed: p50 ${pct(after, 0.5).toFixed(1)} ms, max ${Math.max(...after).toFixed(1)} ms`);
    console.log(`navigation to painted (API included): p50 ${pct(total, 0.5).toFixed(1)} ms, max ${Math.max(...total).toFixed(1)} ms`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
})().catch((e) => { console.error('bench/ui.js:', e.message); process.exit(1); });

// The views: each takes { id, params } (the path's last part and the URL's
// query parameters, which are those of its /v1 endpoint), calls the API and
// returns the content to show. Nothing here computes what the API does not
// answer: filters, counts and dates are the API's.
import { get } from './api.js';
import { csv, el, frag, highlight, queryWords, snippet, table } from './dom.js';
import { errorBox, withParams } from './app.js';

export const views = {};

const ACTION_STATUSES = ['completed', 'initiated', 'not started', 'overdue', 'no longer applicable'];
const SOURCES = { text_layer: 'PDF text layer', ocr: 'OCR', plain_text: 'plain text' };

const fmt = new Intl.NumberFormat('en');
const n = (x) => fmt.format(x);

// The URL parameters that the endpoint takes (others go to the API too, which names them in its error).
function pick(params) {
  const out = new URLSearchParams();
  for (const [k, v] of params) if (v !== '') out.append(k, v);
  return out;
}

const docUrl = (id, extra) => '/ui/documents/' + encodeURIComponent(id) + (extra || '');
const entityUrl = (id) => '/ui/entities/' + encodeURIComponent(id);
const pageLink = (doc, page, q) => el('a', { href: docUrl(doc, (q ? '?q=' + encodeURIComponent(q) : '') + '#page-' + page) }, 'p. ' + page);

// The names of who must act, each a link to its entity when the API gives its id.
function bodies(names, ids) {
  const f = document.createDocumentFragment();
  (names || []).forEach((name, i) => {
    if (i) f.appendChild(document.createTextNode('; '));
    const id = ids && ids[i];
    f.appendChild(id ? el('a', { href: entityUrl(id) }, name) : document.createTextNode(name));
  });
  return f;
}

let statsPromise = null;
function stats() {
  if (!statsPromise) statsPromise = get('stats').catch((e) => { statsPromise = null; throw e; });
  return statsPromise;
}

// What an empty archive shows: how to fill it.
function emptyArchive() {
  return el('div', { class: 'notice', id: 'empty-archive' },
    el('h2', null, 'The archive is empty'),
    el('p', null, 'Nothing has been ingested into this data folder yet. On the machine that holds the data folder, run:'),
    el('pre', null, el('code', null, 'dossier ingest FOLDER')),
    el('p', null, 'with the folder of reports (PDF, scans, text; zip and tar archives too), and the same --data as dossierd. ',
      'This page shows the documents within a second of the ingest committing them; reload it then.'));
}

// When a list came back empty: say so, and how to ingest if the whole archive is empty.
async function nothing(what) {
  const s = await stats();
  return s.documents === 0 ? emptyArchive() : el('p', { class: 'notice' }, what);
}

function field(label, input, grow) {
  return el('div', { class: 'field' + (grow ? ' grow' : '') }, el('label', { for: input.id }, label), input);
}
function input(name, params, attrs) {
  return el('input', Object.assign({ id: 'f-' + name, name, value: params.get(name) || '' }, attrs || {}));
}
function select(name, params, options, anyLabel) {
  const current = params.get(name) || '';
  const s = el('select', { id: 'f-' + name, name }, el('option', { value: '' }, anyLabel));
  for (const [value, label] of options) s.appendChild(el('option', { value, selected: value === current }, label));
  return s;
}
function filterForm(action, fields, submitLabel) {
  return el('form', { class: 'filters', method: 'get', action, role: 'search' }, fields,
    el('div', { class: 'field' }, el('button', { type: 'submit' }, submitLabel || 'Apply')));
}

function pager(total, offset, limit, shown) {
  const nav = el('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (offset > 0) nav.appendChild(el('a', { class: 'button secondary', rel: 'prev', href: withParams({ offset: Math.max(0, offset - limit) || null }, { keepOffset: true }) }, '← Previous'));
  nav.appendChild(el('span', { class: 'muted' }, shown ? `${n(offset + 1)}–${n(offset + shown)} of ${n(total)}` : ''));
  if (offset + shown < total) nav.appendChild(el('a', { class: 'button secondary', rel: 'next', href: withParams({ offset: offset + limit }, { keepOffset: true }) }, 'Next →'));
  return nav;
}

// A CSV of every row that matches, not only the page shown: when there are
// more, the first click reads them from the API a thousand at a time (its
// own limit and offset: the same rows, in the same order), then downloads.
function csvLink(name, header, rows, { path, params, key, total, toRow }) {
  const blobUrl = (all) => URL.createObjectURL(new Blob([csv(header, all.map(toRow))], { type: 'text/csv;charset=utf-8' }));
  const label = `Download CSV (${n(total)} row${total === 1 ? '' : 's'})`;
  const a = el('a', { class: 'button secondary csv', download: name, href: '#' }, label);
  if (rows.length >= total) {
    a.href = blobUrl(rows);
    return a;
  }
  let ready = false;
  a.addEventListener('click', async (event) => {
    if (ready) return;
    event.preventDefault();
    if (a.getAttribute('aria-busy') === 'true') return;
    a.setAttribute('aria-busy', 'true');
    try {
      const all = [];
      for (let offset = 0; offset < total; offset += 1000) {
        a.textContent = `Reading rows ${n(offset + 1)}–${n(Math.min(total, offset + 1000))} of ${n(total)}…`;
        const query = new URLSearchParams(params);
        query.set('offset', offset);
        query.set('limit', 1000);
        const page = await get(path, query);
        all.push(...page[key]);
        if (page[key].length < 1000) break;
      }
      a.href = blobUrl(all);
      a.textContent = label;
      ready = true;
      a.click();
    } catch (e) {
      a.textContent = `CSV failed: ${e.message} (click to try again)`;
    } finally {
      a.removeAttribute('aria-busy');
    }
  });
  return a;
}

// ---- search ----

function searchHelp() {
  const rows = [
    ['water sanitation', 'pages with every word (a page with only some of them ranks lower)'],
    ['"best practice"', 'the exact phrase'],
    ['water OR sanitation', 'either word'],
    ['water NOT budget', 'without a word (also: water -budget)'],
    ['(water OR wells) AND rural', 'grouping'],
    ['title:evaluation', 'a word in the title'],
    ['decentrali*', 'words starting with “decentrali”'],
  ];
  return el('details', { class: 'help' }, el('summary', null, 'Query syntax'),
    el('dl', null, rows.map(([q, what]) => [el('dt', null, el('code', null, q)), el('dd', null, what)])),
    el('p', { class: 'muted' }, 'Words are matched in their other forms too (evaluate, evaluation). The filters below narrow by language, year, organisation and source.'));
}

// The languages of the archive (/v1/stats: documents by language), for the language filter.
function languageOptions(s, params) {
  const langs = Object.entries((s && s.languages) || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const options = langs.map(([code, count]) => [code, `${code} (${n(count)} in the archive)`]);
  const current = params.get('lang');
  if (current && !langs.some(([code]) => code === current)) options.push([current, current]);
  return options;
}

function searchForm(params, s) {
  const q = input('q', params, { type: 'search', placeholder: 'e.g. decentralization', 'aria-describedby': 'q-help' });
  return frag(
    filterForm('/ui/search', [
      field('Search the archive', q, true),
      field('Language', select('lang', params, languageOptions(s, params), 'any')),
      field('Source', select('source', params, Object.entries(SOURCES), 'any')),
      field('Year from', input('year_from', params, { size: 5, inputmode: 'numeric' })),
      field('Year to', input('year_to', params, { size: 5, inputmode: 'numeric' })),
      field('Organisation', input('org', params, { size: 14 })),
    ], 'Search'),
    el('div', { id: 'q-help' }, searchHelp()));
}

const FACET_LABELS = { entity: 'Organisation', year: 'Year', language: 'Language', lang: 'Language', source: 'Source' };
// A facet value's filter: the parameters that narrow the search to it.
function facetFilter(facet, value) {
  if (facet === 'year') return { year_from: value, year_to: value };
  if (facet === 'entity') return { org: value };
  if (facet === 'language' || facet === 'lang') return { lang: value };
  if (facet === 'source') return { source: value };
  return null;
}

function activeFilters(params) {
  const labels = { org: 'organisation', lang: 'language', year_from: 'from', year_to: 'to', source: 'source', type: 'type' };
  const items = [];
  for (const [k, label] of Object.entries(labels)) {
    const v = params.get(k);
    if (v) items.push(el('li', null, el('a', { href: withParams({ [k]: null }), 'aria-label': `Remove filter ${label} ${v}` }, `${label}: ${k === 'source' ? SOURCES[v] || v : v} ✕`)));
  }
  return items.length ? el('ul', { class: 'chips', 'aria-label': 'Filters in use' }, items) : null;
}

views.search = async function search({ params }) {
  const q = params.get('q');
  document.title = (q ? q + ' · ' : '') + 'Search · Dossier';
  if (!q) {
    const s = await stats();
    return frag(el('h1', null, 'Search'), searchForm(params, s),
      s.documents === 0 ? emptyArchive()
        : el('p', { class: 'muted', id: 'archive-size' }, `${n(s.documents)} documents, ${n(s.pages)} pages in the archive.`));
  }
  const [r, s] = await Promise.all([get('search', pick(params)), stats().catch(() => null)]);
  const facetsNav = el('nav', { class: 'facets', 'aria-label': 'Narrow the results' });
  for (const [facet, fv] of Object.entries(r.facet_values || {})) {
    if (!fv.values || !fv.values.length) continue;
    const list = el('ul');
    for (const { value, count } of fv.values) {
      const filter = facetFilter(facet, value);
      const label = frag((facet === 'source' ? SOURCES[value] || value : value) + ' ', el('span', { class: 'count' }, '(' + n(count) + ')'));
      list.appendChild(el('li', null, filter ? el('a', { href: withParams(filter), 'data-facet': facet }, label) : label));
    }
    facetsNav.appendChild(el('h2', null, FACET_LABELS[facet] || facet));
    facetsNav.appendChild(list);
  }
  if (!r.facets_exact && facetsNav.childNodes.length) facetsNav.appendChild(el('p', { class: 'muted' }, 'Counted over a sample of the matches.'));

  const list = el('ol', { class: 'results', start: r.offset + 1 });
  for (const h of r.hits) {
    const meta = [`best page ${h.page}`, SOURCES[h.page_source] || h.page_source];
    if (h.ocr_confidence !== null && h.ocr_confidence !== undefined) meta.push(`OCR confidence ${Math.round(h.ocr_confidence)}%`);
    if (h.language) meta.push(h.language);
    meta.push(h.percent + '%');
    list.appendChild(el('li', null,
      el('h2', null, el('a', { href: docUrl(h.id, '?q=' + encodeURIComponent(q) + '#page-' + h.page) }, h.title || h.id)),
      el('p', { class: 'meta' }, meta.join(' · ')),
      el('p', { class: 'snippet' }, snippet(h.snippet_html)),
      h.source_paths && h.source_paths.length ? el('p', { class: 'meta' }, h.source_paths[0]) : null));
  }
  const total = el('p', { class: 'total', id: 'total' }, `${r.total_exact ? '' : 'about '}${n(r.total)} document${r.total === 1 ? '' : 's'} match`);
  const results = r.hits.length ? frag(list, pager(r.total, r.offset, r.limit, r.hits.length))
    : r.offset > 0 ? el('p', { class: 'notice' }, 'No more results on this page.') : await nothing('No document matches this search. Try fewer words, OR between them, or remove a filter.');
  return frag(el('h1', null, 'Search'), searchForm(params, s), activeFilters(params),
    facetsNav.childNodes.length ? el('div', { class: 'search-layout' }, el('div', null, facetsNav), el('div', null, total, results))
      : el('div', null, total, results));
};

// ---- a document ----

views.documents = async function documents({ id, params }) {
  if (!id) {
    const r = await get('documents', pick(params));
    document.title = 'Documents · Dossier';
    if (!r.documents.length) return frag(el('h1', null, 'Documents'), await nothing('No documents on this page.'));
    return frag(el('h1', null, 'Documents'), table('Documents', [
      { label: 'Title', value: (d) => el('a', { href: docUrl(d.id) }, d.title || d.id), sort: (d) => d.title || '' },
      { label: 'Date', value: (d) => d.date, sort: (d) => d.date || '' },
      { label: 'Pages', value: (d) => d.page_count, sort: (d) => d.page_count, class: 'num' },
    ], r.documents), pager(r.total, r.offset, r.limit, r.documents.length));
  }
  const q = params.get('q') || '';
  const words = queryWords(q);
  const detail = await get('documents/' + encodeURIComponent(id));
  const [recs, acts] = await Promise.all([
    get('recommendations', { doc: id, limit: 1000 }),
    get('actions', { evaluation: id, limit: 1000 }),
  ]);
  const d = detail.document;
  document.title = (d.title || d.id) + ' · Dossier';
  const metaRows = [
    ['Title', d.title || '(none)'], ['Date', d.date || 'unknown'], ['Language', d.language || 'unknown'],
    ['Type', d.mime_type], ['Pages', n(d.page_count) + (d.ocr_page_count ? ` (${n(d.ocr_page_count)} read by OCR)` : '')],
    ['Size', n(d.size_bytes) + ' bytes'], ['Id', d.id], ['Extracted by', d.extracted_by],
    ['Ingested', d.ingested_at_ms ? new Date(d.ingested_at_ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : ''],
  ];
  const meta = el('dl', { class: 'meta' }, metaRows.map(([k, v]) => [el('dt', null, k), el('dd', null, v)]),
    el('dt', null, 'Paths'), el('dd', null, el('ul', null, d.sources.map((s) => el('li', null, el('code', null, s.path))))));

  // Responses are each recommendation's management response.
  const recTable = recs.recommendations.length ? table('Recommendations and responses', [
    { label: 'No.', value: (r) => r.number, sort: (r) => r.number || '' },
    { label: 'Recommendation', value: (r) => r.text, class: 'text' },
    { label: 'Who must act', value: (r) => bodies(r.responsible, r.responsible_ids), sort: (r) => (r.responsible || []).join('; ') },
    { label: 'Due', value: (r) => r.due, sort: (r) => r.due || '' },
    { label: 'Response', value: (r) => r.management_response ? r.management_response.status : 'none', sort: (r) => r.management_response ? r.management_response.status : 'none' },
    { label: 'Response text', value: (r) => r.management_response ? r.management_response.text : '', class: 'text' },
    { label: 'Page', value: (r) => pageLink(r.document, r.page), sort: (r) => r.page },
  ], recs.recommendations) : el('p', { class: 'muted' }, 'No recommendations were found in this document.');
  const actTable = acts.actions.length ? actionsTable('Key actions', acts.actions) : el('p', { class: 'muted' }, 'No key actions belong to this evaluation.');
  const entityList = detail.entities.length ? el('ul', { class: 'chips', id: 'entities' }, detail.entities.map((e) =>
    el('li', null, el('a', { href: entityUrl(e.id) }, e.name), e.pages.length ? el('span', { class: 'muted' }, ' p. ' + e.pages.slice(0, 5).join(', ')) : null)))
    : el('p', { class: 'muted' }, 'No entities.');

  const pagesBox = el('div', { id: 'pages' });
  const pages = detail.pages;
  const shown = Math.min(pages.length, 30);
  // Page texts: the first 30 with the document, the rest on request.
  const texts = await Promise.all(pages.slice(0, shown).map((p) => get(`documents/${encodeURIComponent(id)}/pages/${p.number}`)));
  const pageSection = (p) => {
    const info = [SOURCES[p.source] || p.source];
    if (p.ocr_confidence !== null && p.ocr_confidence !== undefined) info.push(`OCR confidence ${Math.round(p.ocr_confidence)}%`);
    return el('section', { class: 'page', id: 'page-' + p.number },
      el('h3', null, `Page ${p.number} `, el('span', { class: 'muted' }, '(' + info.join(', ') + ')')),
      el('pre', { class: 'page-text' }, highlight(p.text, words)));
  };
  for (const p of texts) pagesBox.appendChild(pageSection(p));
  if (pages.length > shown) {
    const more = el('button', { type: 'button', class: 'secondary', onclick: async () => {
      more.disabled = true;
      for (const p of pages.slice(shown)) pagesBox.appendChild(pageSection(await get(`documents/${encodeURIComponent(id)}/pages/${p.number}`)));
      more.remove();
    } }, `Show the other ${n(pages.length - shown)} pages`);
    pagesBox.appendChild(more);
  }
  if (location.hash) setTimeout(() => { const t = document.getElementById(location.hash.slice(1)); if (t) t.scrollIntoView(); }, 0);
  return frag(el('h1', null, d.title || d.id), meta,
    q ? el('p', { class: 'muted' }, 'The words of your search are marked: ', el('mark', null, q), ' · ', el('a', { href: '/ui/search?q=' + encodeURIComponent(q) }, 'back to the results')) : null,
    el('h2', null, `Recommendations (${n(recs.total)})`), recTable,
    el('h2', null, `Key actions (${n(acts.total)})`), actTable,
    el('h2', null, `Entities (${n(detail.entities.length)})`), entityList,
    el('h2', null, `Pages (${n(pages.length)})`), pagesBox);
};

// ---- recommendations ----

const REC_CSV_HEADER = ['document', 'title', 'page', 'recommendation', 'responsible', 'due', 'response_status', 'response', 'text'];
const recCsvRow = (r) => [r.document, r.title, r.page, r.number, r.responsible, r.due, r.management_response ? r.management_response.status : '',
  r.management_response ? r.management_response.text : '', r.text];

views.recommendations = async function recommendations({ params }) {
  document.title = 'Recommendations · Dossier';
  const form = filterForm('/ui/recommendations', [
    field('Subject (ranks by relevance)', input('q', params, { type: 'search' }), true),
    field('Who must act', input('responsible', params, { size: 16 })),
    field('Due before', input('due_before', params, { type: 'date' })),
    field('Overdue as of', input('overdue_as_of', params, { type: 'date' })),
    field('Recurring', select('recurring', params, [['true', 'made again later'], ['false', 'not recurring']], 'any')),
  ]);
  const r = await get('recommendations', pick(params));
  const q = params.get('q') || '';
  const rows = r.recommendations;
  const body = rows.length ? frag(
    el('div', { class: 'summary' }, el('p', { id: 'total' }, `${n(r.total)} recommendation${r.total === 1 ? '' : 's'}`),
      csvLink('recommendations.csv', REC_CSV_HEADER, rows,
        { path: 'recommendations', params: pick(params), key: 'recommendations', total: r.total, toRow: recCsvRow })),
    table('Recommendations', [
      { label: 'Recommendation', value: (x) => x.snippet ? el('span', null, snippet(x.snippet)) : x.text, sort: (x) => x.text, class: 'text' },
      { label: 'Who must act', value: (x) => bodies(x.responsible, x.responsible_ids), sort: (x) => (x.responsible || []).join('; ') },
      { label: 'Due', value: (x) => x.due, sort: (x) => x.due || '' },
      { label: 'Response', value: (x) => x.management_response ? x.management_response.status : 'none', sort: (x) => x.management_response ? x.management_response.status : 'none' },
      { label: 'Actions', value: (x) => x.action_ids && x.action_ids.length ? n(x.action_ids.length) : '0', sort: (x) => (x.action_ids || []).length, class: 'num' },
      { label: 'Evaluation', value: (x) => el('a', { href: docUrl(x.document) }, x.title || x.document), sort: (x) => x.title || '' },
      { label: 'Source', value: (x) => pageLink(x.document, x.page, q), sort: (x) => x.page },
    ], rows),
    pager(r.total, r.offset, r.limit || rows.length, rows.length))
    : await nothing('No recommendation matches these filters.');
  return frag(el('h1', null, 'Recommendations'), form, body);
};

// ---- key actions ----

function actionsTable(caption, rows) {
  return table(caption, [
    { label: 'No.', value: (a) => a.number, sort: (a) => a.number || '' },
    { label: 'What', value: (a) => a.text, sort: (a) => a.text, class: 'text' },
    { label: 'Who', value: (a) => bodies(a.responsible, a.responsible_ids), sort: (a) => (a.responsible || []).join('; ') },
    { label: 'Time frame', value: (a) => a.time_frame, sort: (a) => a.start || '' },
    { label: 'Due', value: (a) => a.due, sort: (a) => a.due || '' },
    { label: 'Status', value: (a) => a.status_text || a.status || 'unknown', sort: (a) => a.status || '' },
    { label: 'Overdue', value: (a) => a.overdue ? el('span', { class: 'overdue-yes' }, 'overdue') : 'no', sort: (a) => (a.overdue ? 1 : 0) },
    { label: 'Evaluation', value: (a) => a.evaluation ? el('a', { href: docUrl(a.evaluation.id) }, a.evaluation.title || a.evaluation.id) : el('a', { href: docUrl(a.document) }, a.document_title || a.document),
      sort: (a) => (a.evaluation && a.evaluation.title) || a.document_title || '' },
    { label: 'Source', value: (a) => pageLink(a.document, a.page), sort: (a) => a.page },
  ], rows);
}

const ACT_CSV_HEADER = ['document', 'title', 'page', 'recommendation', 'action', 'responsible', 'time_frame', 'start', 'due', 'status', 'overdue', 'text'];
const actCsvRow = (a) => [a.document, a.document_title, a.page, a.recommendation ? a.recommendation.number : '', a.number, a.responsible,
  a.time_frame, a.start, a.due, a.status, a.overdue ? 'true' : 'false', a.text];

views.actions = async function actions({ params }) {
  document.title = 'Key actions · Dossier';
  const form = filterForm('/ui/actions', [
    field('Subject (ranks by relevance)', input('q', params, { type: 'search' }), true),
    field('Who', input('responsible', params, { size: 16 })),
    field('Status', select('status', params, ACTION_STATUSES.map((s) => [s, s]), 'any')),
    field('Overdue as of', input('overdue_as_of', params, { type: 'date' })),
    field('Due before', input('due_before', params, { type: 'date' })),
    field('Status as of', input('as_of', params, { type: 'date' })),
    params.get('evaluation') ? el('input', { type: 'hidden', name: 'evaluation', value: params.get('evaluation') }) : null,
  ]);
  const r = await get('actions', pick(params));
  const rows = r.actions;
  const body = rows.length ? frag(
    el('div', { class: 'summary' }, el('p', { id: 'total' }, `${n(r.total)} key action${r.total === 1 ? '' : 's'}, status as of ${r.as_of}`),
      csvLink('actions.csv', ACT_CSV_HEADER, rows,
        { path: 'actions', params: pick(params), key: 'actions', total: r.total, toRow: actCsvRow })),
    actionsTable('Key actions', rows),
    pager(r.total, r.offset, r.limit || rows.length, rows.length))
    : await nothing('No key action matches these filters.');
  return frag(el('h1', null, 'Key actions'), form,
    params.get('evaluation') ? el('p', null, 'Of one evaluation: ', el('a', { href: docUrl(params.get('evaluation')) }, params.get('evaluation')), ' · ', el('a', { href: withParams({ evaluation: null }) }, 'all evaluations')) : null,
    body);
};

// ---- follow-up ----

views.followup = async function followup({ params }) {
  document.title = 'Follow-up · Dossier';
  const r = await get('followup', pick(params));
  const asOf = r.as_of;
  const actionsUrl = (extra) => '/ui/actions?' + new URLSearchParams(Object.assign({ as_of: asOf }, extra)).toString();
  const overdueUrl = (extra) => '/ui/actions?' + new URLSearchParams(Object.assign({ overdue_as_of: asOf }, extra)).toString();
  const byStatus = (counts, extra) => {
    const f = document.createDocumentFragment();
    Object.entries(counts || {}).forEach(([s, c], i) => {
      if (i) f.appendChild(document.createTextNode(', '));
      f.appendChild(el('a', { href: actionsUrl(Object.assign({ status: s }, extra)) }, `${s}: ${n(c)}`));
    });
    return f;
  };
  const oldest = (o) => o ? el('span', null, el('a', { href: docUrl(o.document, '#page-' + o.page) }, o.number || o.id), ` due ${o.due}: ${o.text}`) : '';
  const form = filterForm('/ui/followup', [field('As of', input('as_of', params, { type: 'date', value: params.get('as_of') || asOf }))], 'Show');
  if (!r.units.length && !r.evaluations.length) return frag(el('h1', null, 'Follow-up'), form, await nothing('No key actions are recorded yet.'));
  return frag(el('h1', null, 'Follow-up'), form,
    el('p', { id: 'total' }, `${n(r.actions)} key actions, as of ${asOf}. `, el('a', { href: overdueUrl({}) }, 'All overdue actions')),
    el('h2', null, 'By unit'),
    table('Key actions by responsible unit', [
      { label: 'Unit', value: (u) => u.id ? el('a', { href: entityUrl(u.id) }, u.unit) : u.unit, sort: (u) => u.unit },
      { label: 'Actions', value: (u) => el('a', { href: actionsUrl({ responsible: u.unit }) }, n(u.total)), sort: (u) => u.total, class: 'num' },
      { label: 'Overdue', value: (u) => u.overdue ? el('a', { href: overdueUrl({ responsible: u.unit }), class: 'overdue-yes' }, n(u.overdue)) : '0', sort: (u) => u.overdue, class: 'num' },
      { label: 'By status', value: (u) => byStatus(u.by_status, { responsible: u.unit }) },
      { label: 'Oldest overdue', value: (u) => oldest(u.oldest_overdue), sort: (u) => u.oldest_overdue ? u.oldest_overdue.due : '' },
    ], r.units),
    el('h2', null, 'By evaluation'),
    table('Key actions by evaluation', [
      { label: 'Evaluation', value: (e) => el('a', { href: docUrl(e.id) }, e.title || e.id), sort: (e) => e.title || '' },
      { label: 'Actions', value: (e) => el('a', { href: actionsUrl({ evaluation: e.id }) }, n(e.total)), sort: (e) => e.total, class: 'num' },
      { label: 'Overdue', value: (e) => e.overdue ? el('a', { href: overdueUrl({ evaluation: e.id }), class: 'overdue-yes' }, n(e.overdue)) : '0', sort: (e) => e.overdue, class: 'num' },
      { label: 'By status', value: (e) => byStatus(e.by_status, { evaluation: e.id }) },
      { label: 'Oldest overdue', value: (e) => oldest(e.oldest_overdue), sort: (e) => e.oldest_overdue ? e.oldest_overdue.due : '' },
    ], r.evaluations));
};

// ---- an entity ----

function nodeLink(node) {
  const id = node.id || '';
  const name = node.name || node.title || id;
  if (id.startsWith('D:')) return el('a', { href: docUrl(id.slice(2)) }, name);
  if (id.startsWith('O:') || id.startsWith('P:') || id.startsWith('E:')) return el('a', { href: entityUrl(id) }, name);
  return document.createTextNode(name + (node.kind ? ` (${node.kind})` : ''));
}

views.entities = async function entities({ id, params }) {
  if (!id) {
    const r = await get('entities', pick(params));
    document.title = 'Entities · Dossier';
    if (!r.entities.length) return frag(el('h1', null, 'Entities'), await nothing('No entities.'));
    return frag(el('h1', null, 'Entities'), table('Entities', [
      { label: 'Name', value: (e) => el('a', { href: entityUrl(e.id) }, e.name), sort: (e) => e.name },
      { label: 'Type', value: (e) => e.type, sort: (e) => e.type },
      { label: 'Documents', value: (e) => e.documents, sort: (e) => e.documents, class: 'num' },
    ], r.entities), pager(r.total, r.offset, r.limit, r.entities.length));
  }
  const entityParams = new URLSearchParams();
  for (const k of ['mentions_limit', 'mentions_offset']) if (params.get(k)) entityParams.set(k, params.get(k));
  const neighbourParams = new URLSearchParams();
  for (const k of ['depth', 'edge']) if (params.get(k)) neighbourParams.set(k, params.get(k));
  const e = await get('entities/' + encodeURIComponent(id), entityParams);
  let around = null, aroundError = null;
  try { around = await get('graph/neighbors/' + encodeURIComponent(e.id), neighbourParams); } catch (err) { aroundError = err; }
  document.title = e.name + ' · Dossier';
  const recs = e.responsible_for.filter((x) => x.item_type !== 'action');
  const acts = e.responsible_for.filter((x) => x.item_type === 'action');
  const list = (items) => items.length ? el('ul', { class: 'inline' }, items.map((x) => el('li', null, nodeLink(x)))) : el('span', { class: 'muted' }, 'none');
  // Recommendations name their document by id: its title is known when the document mentions the entity.
  const titles = new Map(e.mentioned_in.map((m) => [m.document, m.title]));
  const mentions = e.mentioned_in.length ? table('Documents that mention it', [
    { label: 'Document', value: (m) => el('a', { href: docUrl(m.document) }, m.title || m.document), sort: (m) => m.title || '' },
    { label: 'As', value: (m) => m.as, sort: (m) => m.as },
    { label: 'Mentions', value: (m) => m.count, sort: (m) => m.count, class: 'num' },
    { label: 'Pages', value: (m) => frag(m.pages.slice(0, 20).map((p, i) => [i ? ', ' : '', el('a', { href: docUrl(m.document, '#page-' + p) }, String(p))])) },
  ], e.mentioned_in) : el('p', { class: 'muted' }, 'No document mentions it by name.');
  const itemTable = (caption, rows) => rows.length ? table(caption, [
    { label: 'No.', value: (x) => x.number, sort: (x) => x.number || '' },
    { label: 'Text', value: (x) => x.text, class: 'text' },
    { label: 'Due', value: (x) => x.due, sort: (x) => x.due || '' },
    { label: 'Status', value: (x) => x.status_text || x.status || (x.management_response ? x.management_response.status : ''), sort: (x) => x.status || '' },
    { label: 'Document', value: (x) => el('a', { href: docUrl(x.document) }, x.document_title || titles.get(x.document) || x.document), sort: (x) => x.document_title || titles.get(x.document) || x.document },
    { label: 'Source', value: (x) => pageLink(x.document, x.page), sort: (x) => x.page },
  ], rows) : el('p', { class: 'muted' }, 'none');
  let neighbours;
  if (aroundError) neighbours = errorBox(aroundError);
  else {
    const byId = new Map(around.nodes.map((x) => [x.id, x]));
    const rows = around.edges.map((edge) => ({ edge, other: byId.get(edge.source === e.id ? edge.target : edge.source) || { id: edge.source === e.id ? edge.target : edge.source } }));
    neighbours = rows.length ? table('Graph neighbours', [
      { label: 'Relation', value: (r) => r.edge.type + (r.edge.source === e.id ? ' →' : ' ←'), sort: (r) => r.edge.type },
      { label: 'Node', value: (r) => nodeLink(r.other), sort: (r) => r.other.name || r.other.title || r.other.id },
      { label: 'Kind', value: (r) => r.other.kind || '', sort: (r) => r.other.kind || '' },
    ], rows) : el('p', { class: 'muted' }, 'No neighbours.');
  }
  const more = e.mentions_total > e.mentioned_in.length + e.mentions_offset
    ? el('p', null, el('a', { href: withParams({ mentions_offset: e.mentions_offset + e.mentions_limit }) }, 'More documents')) : null;
  return frag(el('h1', null, e.name),
    el('dl', { class: 'meta' },
      el('dt', null, 'Type'), el('dd', null, e.type + (e.authority ? ' (from the authority list)' : '')),
      el('dt', null, 'Aliases'), el('dd', null, e.aliases.length ? e.aliases.join(', ') : 'none'),
      el('dt', null, 'Part of'), el('dd', null, list(e.part_of)),
      el('dt', null, 'Units'), el('dd', null, list(e.units)),
      el('dt', null, 'Documents'), el('dd', null, n(e.mentions_total)),
      el('dt', null, 'Id'), el('dd', null, el('code', null, e.id))),
    e.relations.length ? [el('h2', null, 'Stated relations'), el('ul', null, e.relations.map((r) => el('li', null, `${r.direction === 'outgoing' ? e.name + ' ' + r.type.replace('_', ' ') : r.type.replace('_', ' ') + ' by'} `, nodeLink(r), ' ', pageLink(r.document, r.page))))] : null,
    el('h2', null, `Mentioned in (${n(e.mentions_total)})`), mentions, more,
    el('h2', null, `Recommendations it must act on (${n(recs.length)})`), itemTable('Recommendations', recs),
    el('h2', null, `Key actions it is responsible for (${n(acts.length)})`), itemTable('Key actions', acts),
    e.responsible_for_total > e.responsible_for.length ? el('p', { class: 'muted' }, `Showing ${n(e.responsible_for.length)} of ${n(e.responsible_for_total)}; `, el('a', { href: '/ui/recommendations?responsible=' + encodeURIComponent(e.name) }, 'all its recommendations'), ', ', el('a', { href: '/ui/actions?responsible=' + encodeURIComponent(e.name) }, 'all its actions')) : null,
    el('h2', null, 'Graph neighbours'), neighbours);
};

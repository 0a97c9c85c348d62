// DOM helpers. Text from the API only ever goes into the page as text nodes
// (textContent, createTextNode): never as markup.

// el('a', {href: '/ui/', class: 'x'}, 'text', child, ...): an element.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

// A fragment of `children`.
export function frag(...children) { return append(document.createDocumentFragment(), children); }

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
  });
}

// The API's snippet markup (text escaped as HTML, matches in <mark>…</mark>)
// as a fragment of text nodes and <mark> elements: any other tag stays text.
export function snippet(html) {
  const out = document.createDocumentFragment();
  if (!html) return out;
  let inMark = false;
  for (const part of String(html).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') { inMark = true; continue; }
    if (part === '</mark>') { inMark = false; continue; }
    if (!part) continue;
    const text = decodeEntities(part);
    out.appendChild(inMark ? el('mark', null, text) : document.createTextNode(text));
  }
  return out;
}

// The words of a search query worth highlighting in a page's text: the
// query's words without operators, field prefixes and quotes.
export function queryWords(q) {
  if (!q) return [];
  const words = new Set();
  for (let w of String(q).split(/[\s"()]+/)) {
    w = w.replace(/^[+-]/, '').replace(/^[a-z_]+:/i, '').replace(/\*$/, '');
    if (!w || /^(AND|OR|NOT|NEAR|ADJ|XOR)$/.test(w)) continue;
    for (const piece of w.split(/[^\p{L}\p{N}]+/u)) if (piece.length >= 2) words.add(piece.toLowerCase());
  }
  return [...words];
}

function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

// `text` as a fragment with every word starting with one of `words` in <mark>.
export function highlight(text, words) {
  const out = document.createDocumentFragment();
  if (!words.length) { out.appendChild(document.createTextNode(text)); return out; }
  const re = new RegExp('(?<![\\p{L}\\p{N}])(' + words.map(escapeRegExp).join('|') + ')[\\p{L}\\p{N}]*', 'giu');
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.appendChild(document.createTextNode(text.slice(last, m.index)));
    out.appendChild(el('mark', null, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.appendChild(document.createTextNode(text.slice(last)));
  return out;
}

// One CSV field (RFC 4180); a field that opens like a spreadsheet formula is
// kept as text with a leading apostrophe, as `dossier ... --format csv` does.
export function csvField(value) {
  let s = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csv(header, rows) {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// A table: columns [{label, key?, value(row) -> Node|string, sort(row) -> string|number, class}]
// sortable by clicking a header (the rows shown; the order the API gave is the default).
export function table(caption, columns, rows) {
  const tbody = el('tbody');
  const fill = (list) => {
    const f = document.createDocumentFragment();
    for (const row of list) {
      const tr = document.createElement('tr');
      for (const c of columns) {
        const td = document.createElement('td');
        if (c.class) td.className = c.class;
        const v = c.value(row);
        if (v instanceof Node) td.appendChild(v);
        else if (v !== null && v !== undefined) td.textContent = String(v);
        tr.appendChild(td);
      }
      f.appendChild(tr);
    }
    tbody.replaceChildren(f);
  };
  const headers = columns.map((c, i) => {
    if (!c.sort) return el('th', { scope: 'col' }, c.label);
    const th = el('th', { scope: 'col', 'aria-sort': 'none' });
    th.appendChild(el('button', {
      type: 'button', class: 'sort', 'aria-label': 'Sort by ' + c.label,
      onclick: () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const other of thead.querySelectorAll('th[aria-sort]')) other.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', dir);
        const key = (r) => { const k = c.sort(r); return k === null || k === undefined ? '' : k; };
        const sorted = rows.slice().sort((a, b) => {
          const ka = key(a), kb = key(b);
          const cmp = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), undefined, { numeric: true });
          return dir === 'ascending' ? cmp : -cmp;
        });
        fill(sorted);
        void i;
      },
    }, c.label));
    return th;
  });
  const thead = el('thead', null, el('tr', null, headers));
  fill(rows);
  return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', null, el('caption', { class: 'sr-only' }, caption), thead, tbody));
}

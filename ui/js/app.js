// Dossier's web page: a small client-side router over the /v1 API. Each view
// is a URL under /ui/ whose query parameters are those of its /v1 endpoint,
// so a view can be bookmarked, shared and reloaded (dossierd answers every
// view's path with this page).
import { ApiError, get, setToken, timing, token } from './api.js';
import { el, frag } from './dom.js';
import { views } from './views.js';

const main = document.getElementById('main');
let generation = 0;  // a newer navigation supersedes a slower older one

// Where each view's render ends: { view, apiMs, renderMs } of the last render
// (read by the tests and bench/ui.js); `done` resolves after paint.
window.dossier = { last: null, renders: 0 };

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
}

// The URL of the current view with `changes` to its query parameters (null or '' removes one).
export function withParams(changes, { keepOffset = false } = {}) {
  const params = new URLSearchParams(location.search);
  if (!keepOffset) params.delete('offset');
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  return location.pathname + (qs ? '?' + qs : '');
}

function markNav(view) {
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function tokenPrompt(wrong) {
  document.title = 'Access token · Dossier';
  const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const form = el('form', { class: 'token-form', onsubmit: (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    route();
  } },
  el('h1', null, 'Access token'),
  wrong ? el('p', { class: 'error', role: 'alert' }, 'The token was not accepted (the server said: ' + wrong + '). Enter it again.')
    : el('p', null, 'This dossierd asks for an access token (the one in its --token-file). It is kept in this tab only, until the tab is closed.'),
  el('div', { class: 'field' }, el('label', { for: 'token' }, 'Token'), input),
  el('button', { type: 'submit' }, 'Continue'));
  main.replaceChildren(form);
  input.focus();
}

// An API error in plain words, with the API's own message.
export function errorBox(err) {
  if (!(err instanceof ApiError)) {
    return el('div', { class: 'error', role: 'alert' }, el('strong', null, 'Something went wrong in this page.'), String(err && err.message || err));
  }
  const what = {
    400: 'The request was not accepted:',
    404: 'Not found:',
    503: 'The archive cannot answer right now:',
    0: 'No answer from dossierd:',
  }[err.status] || `dossierd answered with an error (HTTP ${err.status}):`;
  return el('div', { class: 'error', role: 'alert' }, el('strong', null, what), err.message);
}

async function route() {
  const my = ++generation;
  const path = location.pathname.replace(/^\/ui\/?/, '');
  const [name, ...rest] = path.split('/');
  const viewName = name || 'search';
  const view = views[viewName];
  markNav(viewName);
  const params = new URLSearchParams(location.search);
  main.replaceChildren(el('p', { class: 'status', role: 'status' }, 'Loading…'));
  if (!view) {
    main.replaceChildren(el('h1', null, 'No such page'), errorBox(new ApiError(404, 'not_found', 'there is no view ' + location.pathname)));
    return;
  }
  const started = performance.now();
  try {
    const id = rest.length ? decodeURIComponent(rest.join('/')) : '';
    const content = await view({ id, params, isCurrent: () => my === generation });
    if (my !== generation) return;
    const renderStart = performance.now();
    main.replaceChildren(content);
    const answeredAt = timing.responseAt || renderStart;
    requestAnimationFrame(() => {
      const painted = performance.now();
      window.dossier.last = { view: viewName, url: location.pathname + location.search, totalMs: painted - started,
        renderMs: painted - answeredAt, afterParseMs: painted - timing.parsedAt };
      window.dossier.renders++;
      main.dataset.rendered = String(window.dossier.renders);
    });
  } catch (err) {
    if (my !== generation) return;
    if (err instanceof ApiError && err.status === 401) {
      const had = token();
      setToken('');
      tokenPrompt(had ? err.message : '');
      return;
    }
    main.replaceChildren(frag(el('h1', null, 'Could not show this page'), errorBox(err)));
    window.dossier.renders++;
    main.dataset.rendered = String(window.dossier.renders);
  }
}

// Links to /ui/ and GET forms of the views navigate inside the page.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/ui/')) return;
  e.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    location.hash = url.hash;
    return;
  }
  navigate(url.pathname + url.search + url.hash);
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
});
document.addEventListener('submit', (e) => {
  const form = e.target;
  if (e.defaultPrevented) return;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'get' || !form.action) return;
  const url = new URL(form.action, location.href);
  if (!url.pathname.startsWith('/ui/')) return;
  e.preventDefault();
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '') params.append(k, v.trim());
  const qs = params.toString();
  navigate(url.pathname + (qs ? '?' + qs : ''));
});
window.addEventListener('popstate', route);

// Used by the test and the benchmark: the current view again, without a reload.
window.dossier.navigate = navigate;
route();

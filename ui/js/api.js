// Calls to dossierd's /v1 API, with the bearer token when the server wants one.
// The token is asked for once (when the API first answers 401) and kept in
// sessionStorage, so it lasts as long as the browser tab.

const TOKEN_KEY = 'dossier.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// A /v1 URL: `params` (an object or URLSearchParams) without empty values.
export function apiUrl(path, params) {
  const search = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? params.entries() : Object.entries(params || {});
  for (const [k, v] of entries) if (v !== undefined && v !== null && v !== '') search.append(k, v);
  const qs = search.toString();
  return '/v1/' + path + (qs ? '?' + qs : '');
}

// Timing of the last answer: when its headers and its body arrived (performance.now()).
export const timing = { responseAt: 0, parsedAt: 0 };

// GET /v1/PATH?PARAMS as JSON; throws ApiError with the API's message.
export async function get(path, params) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  let res;
  try {
    res = await fetch(apiUrl(path, params), { headers, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'unavailable', 'dossierd did not answer (is it running?): ' + e.message);
  }
  timing.responseAt = performance.now();
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  timing.parsedAt = performance.now();
  if (!res.ok) {
    const err = body && body.error ? body.error : {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || `HTTP ${res.status} ${res.statusText}`);
  }
  return body;
}

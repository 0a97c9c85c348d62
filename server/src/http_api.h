// The HTTP JSON API of dossierd, independent of the HTTP library: routing,
// strict parameter parsing, authentication, CORS and the mapping of a
// Status to an HTTP status and error body. Every answer comes from
// QueryService and is serialised by dossier/json.h (or is the QueryService's
// JSON as is), so HTTP bodies have the same shape as `dossier ... --json`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dossier/query_service.h"
#include "dossier/status.h"
#include "query_admission.h"
#include "response_cache.h"
#include "ui_assets.h"

namespace dossier::server {

// Largest request body accepted (the API has no request bodies; 413 above).
inline constexpr size_t kMaxRequestBodyBytes = 64 * 1024;
// The limits of `limit`, `offset` and the rest are QueryService's
// (dossier/query_service.h: kMaxOffset, kMaxListLimit ...): the API parses
// each parameter's type and passes it on; QueryService checks it and names
// the field, which is the parameter's name.

struct HttpRequest {
  std::string method;  // GET, HEAD, OPTIONS, POST ...
  std::string path;    // percent-decoded, without the query string
  std::multimap<std::string, std::string> params;  // percent-decoded query parameters
  std::string authorization;  // the Authorization header ("" when absent)
  std::string origin;         // the Origin header ("" when absent)
  std::string if_none_match;  // the If-None-Match header ("" when absent): the web page's assets answer 304
};

struct HttpResponse {
  int status = 200;
  std::string body;
  // With a parameter, so cpp-httplib never compresses bodies: its brotli runs at
  // quality 11 and would spend seconds of CPU on a large body for any client
  // sending "Accept-Encoding: br".
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiOptions {
  std::optional<std::string> token;        // bearer token required on everything but /health
  std::optional<std::string> cors_origin;  // allowed Origin ("*" for any); CORS off when unset
  std::string version = "0.1.0";
  std::string data_dir;  // shown by /ready
  // Bytes of answers kept to serve repeated requests (ResponseCache); 0: no cache.
  size_t cache_bytes = 0;
  // Where errors that are bugs (an exception escaping a handler) are logged; none when unset.
  std::function<void(const std::string&)> log;
  // Queries computed at once and waiting (query_admission.h); none: no limit
  // beyond the worker threads.
  std::shared_ptr<QueryAdmission> admission;
  // The web page served under /ui/ (ui_assets.h); none: /ui/ is a 404.
  std::shared_ptr<const UiAssets> ui;
};

// Returns the query service, or Unavailable (with the reason) while the data
// folder cannot be opened yet.
using ServiceSource = std::function<Result<std::shared_ptr<const QueryService>>()>;

class HttpApi {
 public:
  // `openapi` is the served OpenAPI document (see BundleOpenApi).
  HttpApi(ServiceSource service, ApiOptions options, std::string openapi);

  // Answers one request; never throws.
  HttpResponse Handle(const HttpRequest& request) const;

  // An error body (schemas/error.schema.json) with the HTTP status for `status`'s code.
  static HttpResponse Error(const Status& status);
  // An error body with an explicit HTTP status (405, 413, 414 ...).
  static HttpResponse Error(int http_status, const Status& status);
  static int HttpStatusFor(StatusCode code);
  // The error for a status the HTTP library produced itself (bad request line, URI too long ...).
  static HttpResponse ErrorForLibraryStatus(int http_status);

  // Marks the data folder damaged (a read met corruption: kDataLoss). From
  // then on /ready and every query answer 503 with `damage`'s message: an
  // answer read around a damaged file may be silently incomplete. Sticky
  // until the process restarts (after the folder is restored or re-ingested).
  // Thread-safe; the first report wins.
  void ReportDataLoss(const Status& damage) const;
  // The damage reported so far, or OK.
  Status Damage() const;

  // The cache's counters (all zero without a cache).
  ResponseCache::Counters CacheCounters() const;

  // The OpenAPI path template of every route (e.g. "/v1/documents/{id}"); a test
  // checks each is documented in schemas/openapi.json and nothing else is.
  static std::vector<std::string> RouteTemplates();

  struct Route;  // defined in http_api.cc

 private:
  HttpResponse Dispatch(const HttpRequest& request) const;
  // /, /ui and /ui/...: the web page (no token needed: the assets hold no data).
  HttpResponse ServeUi(const HttpRequest& request) const;
  HttpResponse WithCors(const HttpRequest& request, HttpResponse response) const;
  bool Authorized(const HttpRequest& request) const;

  ServiceSource service_;
  ApiOptions options_;
  std::string openapi_;
  double started_ = 0;
  std::unique_ptr<ResponseCache> cache_;  // null when options_.cache_bytes is 0
  mutable std::mutex damage_mutex_;
  mutable Status damage_;  // guarded by damage_mutex_
};

// The served OpenAPI document: schemas/openapi.json with every schema it
// refers to (`{"$ref": "NAME.schema.json"}` under components.schemas) copied
// in and every reference rewritten to point inside the one document.
// `schemas` maps file names ("search-response.schema.json") to their text.
Result<std::string> BundleOpenApi(const std::string& openapi, const std::map<std::string, std::string>& schemas);

}  // namespace dossier::server

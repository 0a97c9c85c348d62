// The HTTP JSON API: routes, parameters, auth, CORS, errors (see http_api.h).
#include "http_api.h"

#include <chrono>
#include <ctime>
#include <cstring>
#include <limits>
#include <regex>
#include <set>
#include <string_view>

#include "dossier/env.h"
#include "dossier/json.h"
#include "dossier/text.h"
#include "dossier/utf8.h"

namespace dossier::server {

using nlohmann::json;

namespace {

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// At most `max` bytes of `s` for quoting in a message, cut at a character boundary.
std::string Quote(std::string_view s, size_t max = 80) {
  if (s.size() <= max) return "'" + std::string(s) + "'";
  return "'" + std::string(TruncateUtf8(s, max)) + "…'";
}

// The query parameters of one request, checked strictly: unknown, repeated
// and non-UTF-8 parameters are errors naming the parameter.
class Params {
 public:
  explicit Params(const std::multimap<std::string, std::string>& raw) : raw_(raw) {}

  Status Check(std::initializer_list<std::string_view> known) const {
    for (auto it = raw_.begin(); it != raw_.end(); it = raw_.upper_bound(it->first)) {
      const std::string& name = it->first;
      bool is_known = false;
      for (std::string_view k : known) is_known |= (k == name);
      if (!is_known) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return Status::InvalidArgument(Quote(name, 40) + ": unknown parameter" +
                                       (list.empty() ? " (this endpoint takes none)" : " (known: " + list + ")"));
      }
      if (raw_.count(name) > 1) return Status::InvalidArgument(name + ": given more than once");
      if (!IsValidUtf8(it->second)) return Status::InvalidArgument(name + ": not valid UTF-8");
    }
    return Status::Ok();
  }

  std::optional<std::string> Get(const std::string& name) const {
    auto it = raw_.find(name);
    if (it == raw_.end()) return std::nullopt;
    return it->second;
  }

  // An unsigned integer in [min, max], `fallback` when absent.
  Result<uint32_t> Uint(const std::string& name, uint32_t fallback, uint32_t min, uint32_t max) const {
    std::optional<std::string> v = Get(name);
    if (!v) return fallback;
    return ParseUint(name, *v, min, max);
  }
  // An unsigned 32-bit integer, `fallback` when absent: only its type is
  // checked here; its range is QueryService's to check.
  Result<uint32_t> Uint(const std::string& name, uint32_t fallback) const {
    return Uint(name, fallback, 0, std::numeric_limits<uint32_t>::max());
  }

  static Result<uint32_t> ParseUint(const std::string& name, const std::string& v, uint32_t min, uint32_t max) {
    auto bad = [&] {
      return Status::InvalidArgument(name + ": expected an integer from " + std::to_string(min) + " to " +
                                     std::to_string(max) + ", got " + Quote(v, 40));
    };
    if (v.empty() || v.size() > 10) return bad();
    uint64_t n = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return bad();
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (n < min || n > max) return bad();
    return static_cast<uint32_t>(n);
  }

 private:
  const std::multimap<std::string, std::string>& raw_;
};

Status CheckPattern(const std::string& name, const std::optional<std::string>& value, const char* pattern,
                    const char* expected) {
  if (!value) return Status::Ok();
  static thread_local std::map<const char*, std::regex> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
  if (value->size() > 200 || !std::regex_match(*value, it->second)) {
    return Status::InvalidArgument(name + ": expected " + expected + ", got " + Quote(*value, 40));
  }
  return Status::Ok();
}

Status CheckText(const std::string& name, const std::optional<std::string>& value, size_t max) {
  if (!value) return Status::Ok();
  if (value->empty()) return Status::InvalidArgument(name + ": must not be empty");
  if (value->size() > max) {
    return Status::InvalidArgument(name + ": " + std::to_string(value->size()) + " bytes, the limit is " + std::to_string(max));
  }
  return Status::Ok();
}

Result<DocumentId> ParseDocumentId(const std::string& text) {
  bool hex = text.size() == DocumentId::kSize * 2;
  for (char c : text) hex &= (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  if (hex) {
    Result<DocumentId> id = DocumentId::FromHex(text);
    if (id.ok()) return id;
  }
  return Status::InvalidArgument("id: expected a document id of 16 lower-case hex digits, got " + Quote(text, 40));
}

using PathArgs = std::vector<std::string>;

// QueryService names a bad field as its request struct does; the query
// parameters are those names but for the few below (field -> parameter).
Status WithParameterNames(const Status& status) {
  static const std::map<std::string, std::string, std::less<>> kParameters = {{"types", "type"}};
  return RenameQueryField(status, kParameters);
}

// year_from and year_to (1000-2999); QueryService checks that the first is not after the second.
Status ParseYears(const Params& p, std::optional<int>* from, std::optional<int>* to) {
  for (const char* name : {"year_from", "year_to"}) {
    if (!p.Get(name)) continue;
    DOSSIER_ASSIGN_OR_RETURN(uint32_t year, p.Uint(name, 0, 1000, 2999));
    *(std::string(name) == "year_from" ? from : to) = static_cast<int>(year);
  }
  return Status::Ok();
}

Result<std::string> Search(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(
      p.Check({"q", "limit", "offset", "type", "lang", "org", "year_from", "year_to", "source", "facets"}));
  SearchRequest request;
  std::optional<std::string> query = p.Get("q");
  if (!query) return Status::InvalidArgument("q: missing (the query, e.g. q=decentralization)");
  request.query = *query;
  DOSSIER_ASSIGN_OR_RETURN(request.limit, p.Uint("limit", 10));
  DOSSIER_ASSIGN_OR_RETURN(request.offset, p.Uint("offset", 0));
  request.mime_type = p.Get("type");
  DOSSIER_RETURN_IF_ERROR(CheckPattern("type", request.mime_type, "[a-z0-9][a-z0-9.+_-]*/[a-z0-9][a-z0-9.+_-]*",
                                       "a MIME type such as application/pdf"));
  request.language = p.Get("lang");
  DOSSIER_RETURN_IF_ERROR(CheckPattern("lang", request.language, "[a-z]{2,3}", "an ISO 639-1 code such as en, or und"));
  request.entity = p.Get("org");
  DOSSIER_RETURN_IF_ERROR(CheckText("org", request.entity, 500));
  DOSSIER_RETURN_IF_ERROR(ParseYears(p, &request.year_from, &request.year_to));
  if (std::optional<std::string> source = p.Get("source")) {
    request.text_source = TextSourceFromName(*source);
    if (!request.text_source) {
      return Status::InvalidArgument("source: expected text_layer, ocr or plain_text, got " + Quote(*source, 40));
    }
  }
  if (std::optional<std::string> facets = p.Get("facets")) {
    if (*facets != "true" && *facets != "false") {
      return Status::InvalidArgument("facets: expected true or false, got " + Quote(*facets, 40));
    }
    request.facets = *facets == "true";
  }
  DOSSIER_ASSIGN_OR_RETURN(SearchResponse response, q.Search(request));
  // Written directly (SearchResponseJson): the same bytes as the tree's dump.
  return SearchResponseJson(response);
}

Result<json> ListDocuments(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"limit", "offset"}));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t limit, p.Uint("limit", 100));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t offset, p.Uint("offset", 0));
  DOSSIER_ASSIGN_OR_RETURN(DocumentList documents, q.ListDocuments(limit, offset));
  return DocumentListToJson(documents.documents, documents.total, offset, limit);
}

Result<DocumentSummary> FindById(const QueryService& q, const std::string& text) {
  DOSSIER_ASSIGN_OR_RETURN(DocumentId id, ParseDocumentId(text));
  Result<DocumentSummary> doc = q.FindDocument(id.ToHex());
  if (!doc.ok() && doc.status().IsNotFound()) return Status::NotFound("no document with id " + id.ToHex());
  return doc;
}

Result<json> GetDocument(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({}));
  DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindById(q, args[0]));
  DOSSIER_ASSIGN_OR_RETURN(std::vector<PageText> pages, q.GetPages(doc.id));
  DOSSIER_ASSIGN_OR_RETURN(json entities, q.Entities(std::nullopt, doc.id.ToHex(), kMaxListLimit, 0));
  return DocumentDetailToJson(doc, pages, entities);
}

Result<json> GetPage(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({}));
  DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindById(q, args[0]));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t number, Params::ParseUint("n", args[1], 1, 4000000000u));
  if (number > doc.page_count) {
    return Status::NotFound("document " + doc.id.ToHex() + " has " + std::to_string(doc.page_count) +
                            " page(s), not page " + std::to_string(number));
  }
  DOSSIER_ASSIGN_OR_RETURN(PageText page, q.GetPage(doc.id, number));
  return PageToJson(doc.id, page);
}

Result<json> GetStructure(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({}));
  DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindById(q, args[0]));
  return q.DocumentStructure(doc.id.ToHex());
}

Result<json> ListEntities(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"type", "doc", "limit", "offset"}));
  std::optional<std::string> type = p.Get("type");
  std::optional<std::string> doc = p.Get("doc");
  DOSSIER_RETURN_IF_ERROR(CheckText("doc", doc, 4096));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t limit, p.Uint("limit", 100));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t offset, p.Uint("offset", 0));
  return q.Entities(type, doc, limit, offset);
}

Result<json> GetEntity(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"mentions_limit", "mentions_offset"}));
  if (!IsValidUtf8(args[0])) return Status::InvalidArgument("id: not valid UTF-8");
  if (args[0].size() > 500) return Status::InvalidArgument("id: longer than 500 bytes");
  DOSSIER_ASSIGN_OR_RETURN(uint32_t limit, p.Uint("mentions_limit", kDefaultEntityMentionsLimit));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t offset, p.Uint("mentions_offset", 0));
  return q.Entity(args[0], limit, offset);
}

Result<json> ListRecommendations(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"q", "responsible", "due_before", "overdue_as_of", "doc", "recurring", "limit", "offset"}));
  RecommendationFilter filter;
  filter.query = p.Get("q");
  // The API always pages (QueryService's limit 0, "all", is the CLI's default only).
  DOSSIER_ASSIGN_OR_RETURN(filter.limit, p.Uint("limit", 100, 1, kMaxListLimit));
  DOSSIER_ASSIGN_OR_RETURN(filter.offset, p.Uint("offset", 0));
  std::optional<std::string> recurring = p.Get("recurring");
  if (recurring && *recurring != "true" && *recurring != "false") {
    return Status::InvalidArgument("recurring: expected true or false, got '" + std::string(TruncateUtf8(*recurring, 40)) + "'");
  }
  filter.recurring = recurring && *recurring == "true";
  filter.responsible = p.Get("responsible");
  DOSSIER_RETURN_IF_ERROR(CheckText("responsible", filter.responsible, 500));
  filter.due_before = p.Get("due_before");
  filter.overdue_as_of = p.Get("overdue_as_of");
  filter.document = p.Get("doc");
  DOSSIER_RETURN_IF_ERROR(CheckText("doc", filter.document, 4096));
  return q.Recommendations(filter);
}

Result<json> SimilarRecommendations(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"limit"}));
  RecommendationFilter filter;
  DOSSIER_ASSIGN_OR_RETURN(filter.limit, p.Uint("limit", 10, 1, kMaxSearchLimit));
  if (args[0].size() != 18 || args[0].rfind("R:", 0) != 0) {
    return Status::InvalidArgument("id: expected a recommendation id (R: and 16 hex digits), got " + Quote(args[0], 40));
  }
  filter.similar_to = args[0];
  return q.Recommendations(filter);
}

Result<json> SearchItems(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"q", "type", "responsible", "response_status", "action_status", "as_of", "doc",
                                   "agency", "lang", "year_from", "year_to", "limit", "offset"}));
  ItemSearchRequest request;
  std::optional<std::string> query = p.Get("q");
  if (!query) return Status::InvalidArgument("q: missing (the query, e.g. q=gender)");
  request.query = *query;
  DOSSIER_ASSIGN_OR_RETURN(request.limit, p.Uint("limit", 10));
  DOSSIER_ASSIGN_OR_RETURN(request.offset, p.Uint("offset", 0));
  if (std::optional<std::string> type = p.Get("type")) request.types = {*type};
  if (std::optional<std::string> responsible = p.Get("responsible")) {
    DOSSIER_RETURN_IF_ERROR(CheckText("responsible", responsible, 500));
    request.responsible = {*responsible};
  }
  request.response_status = p.Get("response_status");
  request.action_status = p.Get("action_status");
  DOSSIER_RETURN_IF_ERROR(CheckText("as_of", p.Get("as_of"), 40));  // empty would mean "today"
  request.as_of = p.Get("as_of").value_or("");
  if (std::optional<std::string> doc = p.Get("doc")) {
    DOSSIER_RETURN_IF_ERROR(CheckText("doc", doc, 4096));
    request.documents = {*doc};
  }
  request.agency = p.Get("agency");
  DOSSIER_RETURN_IF_ERROR(CheckText("agency", request.agency, 500));
  request.language = p.Get("lang");
  DOSSIER_RETURN_IF_ERROR(CheckPattern("lang", request.language, "[a-z]{2,3}", "an ISO 639-1 code such as en, or und"));
  DOSSIER_RETURN_IF_ERROR(ParseYears(p, &request.year_from, &request.year_to));
  request.facets = true;
  return q.SearchItems(request);
}

Result<json> ListActions(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(
      p.Check({"q", "responsible", "status", "due_before", "overdue_as_of", "evaluation", "as_of", "limit", "offset"}));
  ActionFilter filter;
  filter.query = p.Get("q");
  // The API always pages (QueryService's limit 0, "all", is the CLI's default only).
  DOSSIER_ASSIGN_OR_RETURN(filter.limit, p.Uint("limit", 100, 1, kMaxListLimit));
  DOSSIER_ASSIGN_OR_RETURN(filter.offset, p.Uint("offset", 0));
  filter.responsible = p.Get("responsible");
  DOSSIER_RETURN_IF_ERROR(CheckText("responsible", filter.responsible, 500));
  filter.status = p.Get("status");
  filter.due_before = p.Get("due_before");
  filter.overdue_as_of = p.Get("overdue_as_of");
  DOSSIER_RETURN_IF_ERROR(CheckText("as_of", p.Get("as_of"), 40));  // empty would mean "today"
  filter.as_of = p.Get("as_of").value_or("");
  filter.evaluation = p.Get("evaluation");
  DOSSIER_RETURN_IF_ERROR(CheckText("evaluation", filter.evaluation, 4096));
  return q.Actions(filter);
}

Result<json> GetFollowUp(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"as_of"}));
  std::optional<std::string> as_of = p.Get("as_of");
  DOSSIER_RETURN_IF_ERROR(CheckText("as_of", as_of, 40));  // empty would mean "today"
  return q.FollowUp(as_of.value_or(""));
}

Result<json> ListDuplicates(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"limit", "offset"}));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t limit, p.Uint("limit", kDefaultDuplicatesLimit));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t offset, p.Uint("offset", 0));
  return q.Duplicates(limit, offset);
}

Result<json> Neighbors(const QueryService& q, const Params& p, const PathArgs& args) {
  DOSSIER_RETURN_IF_ERROR(p.Check({"depth", "edge"}));
  DOSSIER_ASSIGN_OR_RETURN(uint32_t depth, p.Uint("depth", 1));
  std::optional<std::string> edge = p.Get("edge");
  DOSSIER_RETURN_IF_ERROR(CheckText("edge", edge, 40));
  return q.Neighbors(args[0], depth, edge.value_or(""));
}

Result<json> GetStats(const QueryService& q, const Params& p, const PathArgs&) {
  DOSSIER_RETURN_IF_ERROR(p.Check({}));
  DOSSIER_ASSIGN_OR_RETURN(StoreStats stats, q.Stats());
  return ToJson(stats);
}

}  // namespace

// A route: a path template whose {x} segments are arguments (the last one
// may take the rest of the path, slashes included), and what answers it.
struct HttpApi::Route {
  enum class Kind { kQuery, kHealth, kReady, kOpenApi };
  std::string path_template;
  Kind kind = Kind::kQuery;
  Result<json> (*handler)(const QueryService&, const Params&, const PathArgs&) = nullptr;
  bool greedy_last = false;
  // Instead of `handler`: one that writes its JSON text itself.
  Result<std::string> (*text_handler)(const QueryService&, const Params&, const PathArgs&) = nullptr;

  bool Match(std::string_view path, PathArgs* args) const {
    args->clear();
    std::string_view t = path_template;
    while (!t.empty()) {
      if (path.empty() || path[0] != '/' || t[0] != '/') return false;
      t.remove_prefix(1);
      path.remove_prefix(1);
      const size_t t_end = std::min(t.find('/'), t.size());
      const std::string_view segment = t.substr(0, t_end);
      t.remove_prefix(t_end);
      if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
        size_t end = (greedy_last && t.empty()) ? path.size() : std::min(path.find('/'), path.size());
        if (end == 0) return false;
        args->emplace_back(path.substr(0, end));
        path.remove_prefix(end);
      } else {
        if (path.substr(0, segment.size()) != segment) return false;
        path.remove_prefix(segment.size());
        if (!path.empty() && path[0] != '/') return false;
      }
    }
    return path.empty();
  }
};

namespace {

const std::vector<HttpApi::Route>& Routes() {
  using R = HttpApi::Route;
  static const std::vector<R> routes = {
      {"/health", R::Kind::kHealth},
      {"/ready", R::Kind::kReady},
      {"/openapi.json", R::Kind::kOpenApi},
      {"/v1/search", R::Kind::kQuery, nullptr, false, Search},
      {"/v1/documents", R::Kind::kQuery, ListDocuments},
      {"/v1/documents/{id}", R::Kind::kQuery, GetDocument},
      {"/v1/documents/{id}/pages/{n}", R::Kind::kQuery, GetPage},
      {"/v1/documents/{id}/structure", R::Kind::kQuery, GetStructure},
      {"/v1/entities", R::Kind::kQuery, ListEntities},
      {"/v1/entities/{id}", R::Kind::kQuery, GetEntity, /*greedy_last=*/true},
      {"/v1/recommendations", R::Kind::kQuery, ListRecommendations},
      {"/v1/recommendations/{id}/similar", R::Kind::kQuery, SimilarRecommendations},
      {"/v1/items", R::Kind::kQuery, SearchItems},
      {"/v1/actions", R::Kind::kQuery, ListActions},
      {"/v1/followup", R::Kind::kQuery, GetFollowUp},
      {"/v1/duplicates", R::Kind::kQuery, ListDuplicates},
      {"/v1/graph/neighbors/{node}", R::Kind::kQuery, Neighbors},
      {"/v1/stats", R::Kind::kQuery, GetStats},
  };
  return routes;
}

constexpr const char* kAllowedMethods = "GET, HEAD, OPTIONS";

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.body = DumpJson(body);
  r.body += "\n";
  return r;
}

// The cache key of a query request: its path and parameters (already
// checked: no repeats), length-prefixed so no two requests share a key, and
// today's date in UTC, which answers without an explicit as_of depend on.
std::string CacheKey(const HttpRequest& request) {
  std::string key;
  auto add = [&key](std::string_view part) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  };
  const std::time_t now = static_cast<std::time_t>(Env::Default()->NowMs() / 1000);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &utc);
  add(day);
  add(request.path);
  for (const auto& [name, value] : request.params) {
    add(name);
    add(value);
  }
  return key;
}

}  // namespace

HttpApi::HttpApi(ServiceSource service, ApiOptions options, std::string openapi)
    : service_(std::move(service)), options_(std::move(options)), openapi_(std::move(openapi)), started_(NowSeconds()) {
  if (options_.cache_bytes > 0) cache_ = std::make_unique<ResponseCache>(options_.cache_bytes);
}

ResponseCache::Counters HttpApi::CacheCounters() const { return cache_ ? cache_->counters() : ResponseCache::Counters{}; }

std::vector<std::string> HttpApi::RouteTemplates() {
  std::vector<std::string> out;
  for (const Route& r : Routes()) out.push_back(r.path_template);
  return out;
}

int HttpApi::HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kUnavailable:
    case StatusCode::kDataLoss: return 503;  // a damaged data folder: the server cannot answer, the reason says why
    case StatusCode::kDeadlineExceeded: return 504;
    default: return 500;
  }
}

HttpResponse HttpApi::Error(const Status& status) { return Error(HttpStatusFor(status.code()), status); }

HttpResponse HttpApi::Error(int http_status, const Status& status) {
  Status s = status.ok() ? Status::Unknown("no error") : status;
  if (s.message().empty()) s = Status(s.code(), std::string(StatusCodeName(s.code())));
  return JsonResponse(http_status, ErrorToJson(s));
}

HttpResponse HttpApi::ErrorForLibraryStatus(int http_status) {
  switch (http_status) {
    case 400: return Error(400, Status::InvalidArgument("malformed HTTP request"));
    case 404: return Error(404, Status::NotFound("no such route (see /openapi.json)"));
    case 413:
      return Error(413, Status::ResourceExhausted("request body too large (the limit is " +
                                                  std::to_string(kMaxRequestBodyBytes) + " bytes)"));
    case 414: return Error(414, Status::ResourceExhausted("request line too long (the limit is 8192 bytes)"));
    case 416: return Error(416, Status::InvalidArgument("Range: not satisfiable"));
    case 503: return Error(503, Status::Unavailable("the server is busy; retry"));
    default:
      if (http_status >= 500) return Error(http_status, Status::Internal("internal error"));
      return Error(http_status, Status::InvalidArgument("request refused (HTTP " + std::to_string(http_status) + ")"));
  }
}

bool HttpApi::Authorized(const HttpRequest& request) const {
  if (!options_.token) return true;
  std::string_view header = request.authorization;
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  return ConstantTimeEquals(header, *options_.token);
}

HttpResponse HttpApi::WithCors(const HttpRequest& request, HttpResponse response) const {
  if (!options_.cors_origin || request.origin.empty()) return response;
  const std::string& allowed = *options_.cors_origin;
  if (allowed != "*" && allowed != request.origin) return response;
  response.headers.emplace_back("Access-Control-Allow-Origin", allowed == "*" ? "*" : request.origin);
  if (allowed != "*") response.headers.emplace_back("Vary", "Origin");
  return response;
}

void HttpApi::ReportDataLoss(const Status& damage) const {
  {
    std::lock_guard<std::mutex> lock(damage_mutex_);
    if (!damage_.ok() || damage.ok()) return;
    damage_ = damage;
  }
  if (options_.log) options_.log("error: not ready: " + damage.message() + " (every query answers 503 until a restart)");
}

Status HttpApi::Damage() const {
  std::lock_guard<std::mutex> lock(damage_mutex_);
  return damage_;
}

HttpResponse HttpApi::Handle(const HttpRequest& request) const {
  std::string what = "unexpected error";
  try {
    return WithCors(request, Dispatch(request));
  } catch (const std::exception& e) {
    what += std::string(": ") + e.what();
  } catch (...) {
  }
  // A bug or a library's exception: this request fails, the server goes on.
  if (options_.log) {
    options_.log("error: " + std::string(TruncateUtf8(request.method, 20)) + " " +
                 std::string(TruncateUtf8(request.path, 200)) + ": " + what);
  }
  return Error(500, Status::Internal(what));
}

// The web page's paths: "/", "/ui" and everything under "/ui/".
static bool IsUiPath(std::string_view path) { return path == "/" || path == "/ui" || path.rfind("/ui/", 0) == 0; }

HttpResponse HttpApi::ServeUi(const HttpRequest& request) const {
  const std::string shown_path = request.path.size() > 200 ? std::string(TruncateUtf8(request.path, 200)) + "…" : request.path;
  if (request.method == "OPTIONS") {
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Allow", kAllowedMethods);
    return r;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = Error(405, Status::Unimplemented("method " + std::string(TruncateUtf8(request.method, 20)) +
                                                      " is not allowed on " + shown_path + " (allowed: " + kAllowedMethods + ")"));
    r.headers.emplace_back("Allow", kAllowedMethods);
    return r;
  }
  if (!options_.ui || options_.ui->empty()) {
    return Error(404, Status::NotFound("no route " + shown_path + " (this dossierd was built without its web page)"));
  }
  if (request.path == "/" || request.path == "/ui") {
    HttpResponse r;
    r.status = 302;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "See /ui/\n";
    r.headers.emplace_back("Location", "/ui/");
    return r;
  }
  const UiAsset* asset = options_.ui->Find(std::string_view(request.path).substr(4));
  if (!asset) return Error(404, Status::NotFound("no page or file " + shown_path + " (the web page starts at /ui/)"));
  HttpResponse r;
  // Revalidated on every load (the ETag makes that a 304 without a body), so
  // a new dossierd's page is never mixed with an old cached module.
  r.headers.emplace_back("ETag", asset->etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  // Only the page's own files and /v1 on the same origin; no inline script,
  // no frames: API text that slipped into markup could run nothing.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                         "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!request.if_none_match.empty() && request.if_none_match.find(asset->etag) != std::string::npos) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = asset->content_type;
  r.body = asset->body;
  return r;
}

HttpResponse HttpApi::Dispatch(const HttpRequest& request) const {
  if (IsUiPath(request.path)) return ServeUi(request);
  const Route* route = nullptr;
  PathArgs args;
  for (const Route& r : Routes()) {
    if (r.Match(request.path, &args)) {
      route = &r;
      break;
    }
  }
  const std::string shown_path = request.path.size() > 200 ? std::string(TruncateUtf8(request.path, 200)) + "…" : request.path;

  // CORS preflight and OPTIONS: what the route allows; needs no token.
  if (request.method == "OPTIONS") {
    if (!route) return Error(404, Status::NotFound("no route " + shown_path + " (see /openapi.json)"));
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Allow", kAllowedMethods);
    if (options_.cors_origin) {
      r.headers.emplace_back("Access-Control-Allow-Methods", kAllowedMethods);
      r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
      r.headers.emplace_back("Access-Control-Max-Age", "600");
    }
    return r;
  }
  if (!(route && route->kind == Route::Kind::kHealth) && !Authorized(request)) {
    HttpResponse r = Error(401, Status(StatusCode::kUnauthenticated,
                                       request.authorization.empty() ? "missing bearer token (Authorization: Bearer TOKEN)"
                                                                     : "wrong bearer token"));
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dossier\"");
    return r;
  }
  if (!route) {
    return Error(404, Status::NotFound("no route " + shown_path + " (see /openapi.json)"));
  }
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = Error(405, Status::Unimplemented("method " + std::string(TruncateUtf8(request.method, 20)) + " is not allowed on " +
                                                      route->path_template + " (allowed: " + kAllowedMethods + ")"));
    r.headers.emplace_back("Allow", kAllowedMethods);
    return r;
  }
  const Params params(request.params);
  const double uptime = NowSeconds() - started_;
  switch (route->kind) {
    case Route::Kind::kHealth: {
      if (Status s = params.Check({}); !s.ok()) return Error(s);
      return JsonResponse(200, {{"status", "ok"}, {"version", options_.version}, {"uptime_seconds", uptime}});
    }
    case Route::Kind::kOpenApi: {
      if (Status s = params.Check({}); !s.ok()) return Error(s);
      HttpResponse r;
      r.body = openapi_;
      return r;
    }
    case Route::Kind::kReady: {
      if (Status s = params.Check({}); !s.ok()) return Error(s);
      Result<std::shared_ptr<const QueryService>> service = service_();
      if (!service.ok()) return Error(503, service.status());
      if (Status damage = Damage(); !damage.ok()) return Error(503, damage);
      // With --remote-index: every shard answered the last look (each refresh interval).
      if (Status shards = (*service)->SearchIndexHealth(); !shards.ok()) {
        HttpResponse r = Error(503, shards);
        r.headers.emplace_back("Retry-After", "1");
        return r;
      }
      return JsonResponse(200, {{"status", "ready"}, {"version", options_.version}, {"uptime_seconds", uptime},
                                {"data_dir", options_.data_dir}});
    }
    case Route::Kind::kQuery: break;
  }
  Result<std::shared_ptr<const QueryService>> service = service_();
  if (!service.ok()) {
    HttpResponse r = Error(503, service.status());
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  if (Status damage = Damage(); !damage.ok()) return Error(503, damage);
  // The data version is read before answering: an answer computed while a
  // commit became visible is kept under the older version, so never served.
  std::string cache_key;
  uint64_t version = 0;
  if (cache_) {
    version = (*service)->DataVersion();
    cache_key = CacheKey(request);
    if (std::shared_ptr<const std::string> body = cache_->Get(cache_key, version)) {
      HttpResponse r;
      r.body = *body;
      r.headers.emplace_back("X-Dossier-Cache", "hit");
      return r;
    }
  }
  // A computed query takes a turn (query_admission.h), and may be computed
  // on one of the admission's threads while this one waits: refused, it is
  // answered 503 with Retry-After rather than late.
  HttpResponse r;
  bool failed = false;
  auto compute = [&]() {
    auto fail = [&](const Status& status) {
      if (status.code() == StatusCode::kDataLoss) ReportDataLoss(status);
      r = Error(WithParameterNames(status));
      failed = true;
    };
    if (route->text_handler) {
      Result<std::string> text = route->text_handler(**service, params, args);
      if (!text.ok()) return fail(text.status());
      r.status = 200;
      r.body = std::move(*text);
      r.body += "\n";
    } else {
      Result<json> result = route->handler(**service, params, args);
      if (!result.ok()) return fail(result.status());
      r = JsonResponse(200, *result);
    }
  };
  if (options_.admission) {
    QueryAdmission::Refusal refusal = QueryAdmission::Refusal::kNone;
    if (!options_.admission->Run(compute, &refusal)) {
      const AdmissionLimits& limits = options_.admission->limits();
      HttpResponse busy = Error(503, Status::Unavailable(
          refusal == QueryAdmission::Refusal::kQueueFull
              ? "busy: " + std::to_string(limits.max_active) + " queries are being answered and " +
                    std::to_string(limits.max_waiting) + " wait for a turn (dossierd --max-active-queries, "
                    "--max-queued-queries); retry after Retry-After seconds"
              : "busy: this query waited " + std::to_string(limits.max_wait.count()) +
                    " ms for a turn without getting one (dossierd --queue-wait-ms); retry after Retry-After seconds"));
      busy.headers.emplace_back("Retry-After", "1");
      return busy;
    }
  } else {
    compute();
  }
  if (failed) return r;
  if (cache_) {
    cache_->Put(cache_key, version, std::make_shared<const std::string>(r.body));
    r.headers.emplace_back("X-Dossier-Cache", "miss");
  }
  return r;
}

// ---- OpenAPI bundling ----

namespace {

// Rewrites every "$ref" in `node`: "F.schema.json#/p" and "F.schema.json" to
// the component of F, and a local "#/p" (inside schema file `base`) to the component of base.
Status RewriteRefs(json& node, const std::string& base, const std::map<std::string, std::string>& component_of) {
  if (node.is_array()) {
    for (json& item : node) DOSSIER_RETURN_IF_ERROR(RewriteRefs(item, base, component_of));
    return Status::Ok();
  }
  if (!node.is_object()) return Status::Ok();
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key() == "$ref" && it->is_string()) {
      const std::string ref = *it;
      const size_t hash = ref.find('#');
      const std::string file = ref.substr(0, hash);
      const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
      std::string target = file.empty() ? base : file;
      if (target.empty()) continue;  // a reference inside the OpenAPI document itself
      auto c = component_of.find(target);
      if (c == component_of.end()) {
        return Status::NotFound("openapi: $ref " + ref + " names a schema file not listed under components.schemas");
      }
      *it = "#/components/schemas/" + c->second + pointer;
    } else {
      DOSSIER_RETURN_IF_ERROR(RewriteRefs(*it, base, component_of));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> BundleOpenApi(const std::string& openapi, const std::map<std::string, std::string>& schemas) {
  json doc = json::parse(openapi, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::InvalidArgument("openapi.json: not valid JSON");
  json& components = doc["components"]["schemas"];
  std::map<std::string, std::string> component_of;  // schema file -> component name
  for (auto it = components.begin(); it != components.end(); ++it) {
    if (it->is_object() && it->size() == 1 && it->contains("$ref") && (*it)["$ref"].is_string()) {
      const std::string ref = (*it)["$ref"];
      if (ref.find('#') == std::string::npos) component_of[ref] = it.key();
    }
  }
  for (const auto& [file, name] : component_of) {
    auto text = schemas.find(file);
    if (text == schemas.end()) return Status::NotFound("openapi.json: schema " + file + " is not embedded");
    json schema = json::parse(text->second, nullptr, false);
    if (schema.is_discarded()) return Status::InvalidArgument(file + ": not valid JSON");
    schema.erase("$schema");
    schema.erase("$id");
    DOSSIER_RETURN_IF_ERROR(RewriteRefs(schema, file, component_of));
    components[name] = std::move(schema);
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "components") DOSSIER_RETURN_IF_ERROR(RewriteRefs(*it, "", component_of));
  }
  for (auto it = doc["components"].begin(); it != doc["components"].end(); ++it) {
    if (it.key() != "schemas") DOSSIER_RETURN_IF_ERROR(RewriteRefs(*it, "", component_of));
  }
  return DumpJson(doc, 2) + "\n";
}

}  // namespace dossier::server

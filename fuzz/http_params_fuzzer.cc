// libFuzzer target: HTTP parameter parsing in dossierd, without sockets. The
// input is a request target ("/v1/search?q=water&limit=5"), cut at the first
// space or line break as an HTTP request line would be, split and
// percent-decoded by cpp-httplib's own functions as the server does, and
// answered by HttpApi::Handle (server/src/http_api.h) over a data folder of
// three documents (fuzz/sample_documents.h) stored at start-up in a
// temporary folder. The first byte picks the method (GET, HEAD, OPTIONS,
// POST), the bearer token (none, right, wrong) and whether the response
// cache is on.
//
// Checks that no request makes an internal error (500: an exception or a
// bug), and that every body is JSON: an answer or an error naming the
// parameter.
#include <httplib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "dossier/query_service.h"
#include "dossier/store.h"
#include "http_api.h"
#include "sample_documents.h"

namespace {

using dossier::server::HttpApi;

struct Apis {
  std::unique_ptr<HttpApi> plain, cached;
};

const Apis& SampleApis() {
  static const Apis* apis = [] {
    char folder[] = "/tmp/dossier-http-fuzz-XXXXXX";
    if (!mkdtemp(folder)) std::abort();
    static std::string made = folder;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(made, ec);
    });
    {
      auto store = dossier::Store::Open(made, dossier::StoreMode::kReadWrite);
      if (!store.ok()) std::abort();
      for (const dossier::Document& d : dossier_fuzz::SampleDocuments()) {
        if (!(*store)->PutDocument(d).ok()) std::abort();
      }
    }
    auto opened = dossier::QueryService::Open(made);
    if (!opened.ok()) std::abort();
    std::shared_ptr<const dossier::QueryService> service = std::move(opened).value();
    auto source = [service] { return dossier::Result<std::shared_ptr<const dossier::QueryService>>(service); };
    auto* out = new Apis();
    dossier::server::ApiOptions options;
    options.token = "secret";
    options.data_dir = made;
    out->plain = std::make_unique<HttpApi>(source, options, "{}");
    options.token.reset();
    options.cors_origin = "*";
    options.cache_bytes = 1 << 20;
    out->cached = std::make_unique<HttpApi>(source, options, "{}");
    return out;
  }();
  return *apis;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Apis& apis = SampleApis();
  const uint8_t options = data[0];
  std::string target(reinterpret_cast<const char*>(data + 1), size - 1);
  target = target.substr(0, target.find_first_of(" \r\n"));

  dossier::server::HttpRequest request;
  static const char* const kMethods[] = {"GET", "GET", "HEAD", "OPTIONS"};
  request.method = (options & 4) ? "POST" : kMethods[options & 3];
  const size_t question = target.find('?');
  request.path = httplib::detail::decode_url(target.substr(0, question), false);
  httplib::Params params;
  if (question != std::string::npos) httplib::detail::parse_query_text(target.substr(question + 1), params);
  for (const auto& [name, value] : params) request.params.emplace(name, value);
  const bool cached = options & 8;
  if (!cached) request.authorization = (options & 16) ? "Bearer wrong" : "Bearer secret";
  if (options & 32) request.origin = "https://example.org";

  const dossier::server::HttpResponse response = (cached ? apis.cached : apis.plain)->Handle(request);
  if (response.status >= 500 && response.status != 503) std::abort();
  if (response.status == 204) return 0;
  if (response.content_type.rfind("application/json", 0) != 0) std::abort();
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) std::abort();
  if (response.status >= 400 && !body.contains("error")) std::abort();
  return 0;
}

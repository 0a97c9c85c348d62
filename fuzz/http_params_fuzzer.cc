// libFuzzer target: dossierd's request handling, without sockets. The input
// is a request target ("/v1/search?q=water&limit=5"), cut at the first space
// or line break as an HTTP request line would be, sent as a whole request
// through cpp-httplib's own request parser (Server::process_request, over a
// Stream in memory) to the handlers dossierd installs
// (InstallApiHandlers, server/src/api_handlers.h) and so to HttpApi::Handle
// (server/src/http_api.h), over a data folder of three documents
// (fuzz/sample_documents.h) stored at start-up in a temporary folder. That is
// the code dossierd runs between a request head arriving and its answer
// being written: request line split, percent-decoding and query parsing in
// httplib, routing and strict parameter checks in HttpApi, the query service
// behind them, the error and access-log handlers.
//
// The first byte picks the request around the target:
//   bits 0-1  method GET, GET, HEAD, OPTIONS   bit 2  POST instead
//   bit 3     the server with the response cache and CORS (no token) instead
//             of the one requiring a bearer token
//   bit 4     a wrong bearer token               bit 5  an Origin header
//   bit 6     a body (Content-Length: 5)         bit 7  Expect: 100-continue
//
// Checks that no request makes an internal error (a 5xx other than 503: an
// exception or a bug), that every answer has a Content-Length matching its
// body (none for 204 and HEAD), that every body is JSON, an answer or an
// error naming what is wrong, and that no "100 Continue" invites a body that
// is never read.
#include <httplib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api_handlers.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "http_api.h"
#include "sample_documents.h"

namespace {

using dossier::server::HttpApi;

// One request in memory: reads come from it, writes (the answer) are kept.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view request) : in_(request) {}
  bool is_readable() const override { return pos_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, in_.size() - pos_);
    std::memcpy(ptr, in_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  const std::string& written() const { return out_; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  std::string out_;
};

// httplib's Server with dossierd's handlers, answering a request held in memory.
class MemoryServer : public httplib::Server {
 public:
  explicit MemoryServer(const HttpApi& api) {
    dossier::server::InstallApiHandlers(*this, api, /*access_log=*/true, [](const std::string&) {});
  }
  std::string Answer(std::string_view request) {
    MemoryStream stream(request);
    bool connection_closed = false;
    process_request(stream, /*close_connection=*/false, connection_closed, nullptr);
    return stream.written();
  }
};

struct Servers {
  std::unique_ptr<HttpApi> plain_api, cached_api;
  std::unique_ptr<MemoryServer> plain, cached;
};

Servers& SampleServers() {
  static Servers* servers = [] {
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
    auto* out = new Servers();
    dossier::server::ApiOptions options;
    options.token = "secret";
    options.data_dir = made;
    out->plain_api = std::make_unique<HttpApi>(source, options, "{}");
    options.token.reset();
    options.cors_origin = "*";
    options.cache_bytes = 1 << 20;
    out->cached_api = std::make_unique<HttpApi>(source, options, "{}");
    out->plain = std::make_unique<MemoryServer>(*out->plain_api);
    out->cached = std::make_unique<MemoryServer>(*out->cached_api);
    return out;
  }();
  return *servers;
}

// The value of header `name` (exact case, as httplib writes it) in `head`, or nullptr.
const char* HeaderValue(const std::string& head, const std::string& name, std::string* value) {
  const size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return nullptr;
  const size_t start = at + 4 + name.size();
  *value = head.substr(start, head.find("\r\n", start) - start);
  return value->c_str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Servers& servers = SampleServers();
  const uint8_t options = data[0];
  std::string target(reinterpret_cast<const char*>(data + 1), size - 1);
  target = target.substr(0, target.find_first_of(" \r\n"));

  static const char* const kMethods[] = {"GET", "GET", "HEAD", "OPTIONS"};
  const std::string method = (options & 4) ? "POST" : kMethods[options & 3];
  const bool cached = options & 8;
  const bool with_body = options & 64;
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: fuzz\r\n";
  if (!cached) request += (options & 16) ? "Authorization: Bearer wrong\r\n" : "Authorization: Bearer secret\r\n";
  if (options & 32) request += "Origin: https://example.org\r\n";
  if (with_body) request += "Content-Length: 5\r\n";
  if (options & 128) request += "Expect: 100-continue\r\n";
  request += "\r\n";
  if (with_body) request += "hello";

  std::string answer = (cached ? servers.cached : servers.plain)->Answer(request);
  if (answer.rfind("HTTP/1.1 100 ", 0) == 0) {
    if (with_body) std::abort();  // an invitation to send a body that is never read
    answer.erase(0, answer.find("\r\n\r\n") + 4);
  }
  // Every request gets an answer: "HTTP/1.1 NNN ...", headers, a blank line.
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) std::abort();
  const int status = std::atoi(answer.substr(9, 3).c_str());
  const size_t head_end = answer.find("\r\n\r\n");
  if (status < 200 || head_end == std::string::npos) std::abort();
  if (status >= 500 && status != 503) std::abort();
  const std::string head = answer.substr(0, head_end + 2);
  const std::string body = answer.substr(head_end + 4);
  if (status == 204) {
    if (!body.empty()) std::abort();
    return 0;
  }
  std::string length;
  if (!HeaderValue(head, "Content-Length", &length)) std::abort();
  // A HEAD answer has no body, unless httplib could not read the method
  // (a NUL in the request line cuts it: 400 with the error body).
  if (method == "HEAD" && body.empty()) return 0;
  if (length != std::to_string(body.size())) std::abort();
  std::string type;
  if (!HeaderValue(head, "Content-Type", &type) || type.rfind("application/json", 0) != 0) std::abort();
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) std::abort();
  if (status >= 400 && !parsed.contains("error")) std::abort();
  return 0;
}

// cpp-httplib around HttpApi (see api_handlers.h).
#include "api_handlers.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <utility>

namespace dossier::server {

namespace {

using Clock = std::chrono::steady_clock;

// When the request being handled on this thread started (set before routing).
thread_local Clock::time_point t_request_start{};

// A path for the access log: printable ASCII kept, the rest escaped, at most 300 bytes.
std::string LoggablePath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (out.size() >= 300) {
      out += "...";
      break;
    }
    if (c >= 0x21 && c < 0x7F && c != '%') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out.empty() ? "-" : out;
}

HttpRequest ToApiRequest(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [name, value] : req.params) out.params.emplace(name, value);
  out.authorization = req.get_header_value("Authorization");
  out.origin = req.get_header_value("Origin");
  out.if_none_match = req.get_header_value("If-None-Match");
  return out;
}

// True when the request announces a body (which is never read).
bool HasBody(const httplib::Request& req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

// True when the request announces a body over kMaxRequestBodyBytes (413).
bool AnnouncedBodyTooLarge(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return false;
  const std::string length = req.get_header_value("Content-Length");
  if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos) return false;
  return length.size() > 9 || std::stoull(length) > kMaxRequestBodyBytes;
}

void Apply(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  bool cache_control = false;
  for (const auto& [name, value] : from.headers) {
    to.set_header(name, value);
    cache_control |= name == "Cache-Control";
  }
  // API answers are never cached by clients; the web page's assets say their own (revalidate by ETag).
  if (!cache_control) to.set_header("Cache-Control", "no-store");
  to.set_header("X-Content-Type-Options", "nosniff");
  if (!from.content_type.empty()) {
    to.set_content(from.body, from.content_type.c_str());
  } else {
    to.body.clear();
  }
}

}  // namespace

void InstallApiHandlers(httplib::Server& http, const HttpApi& api, bool access_log,
                        std::function<void(const std::string&)> log) {
  http.set_payload_max_length(kMaxRequestBodyBytes);  // a guard: no body is read (see below)
  // Every request is answered from its head, before httplib's own routing
  // (which would read a body first); see api_handlers.h.
  const auto answer = [&api](const httplib::Request& req, httplib::Response& res) {
    t_request_start = Clock::now();
    const bool has_body = HasBody(req);
    if (has_body && AnnouncedBodyTooLarge(req)) {
      Apply(HttpApi::ErrorForLibraryStatus(413), res);
    } else {
      Apply(api.Handle(ToApiRequest(req)), res);
    }
    if (has_body && req.get_header_value("Connection") != "close") res.set_header("Connection", "close");
  };
  http.set_pre_routing_handler([answer](const httplib::Request& req, httplib::Response& res) {
    answer(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  // "Expect: 100-continue" with a body: the answer, instead of an invitation
  // to send a body that would not be read. httplib writes it as it is (no
  // Content-Length of its own on this path).
  http.set_expect_100_continue_handler([answer](const httplib::Request& req, httplib::Response& res) {
    if (!HasBody(req)) return 100;
    answer(req, res);
    res.set_header("Content-Length", std::to_string(res.body.size()));
    return res.status;
  });
  // What httplib answers itself (a malformed request line 400, 414, 416 ...): the API's JSON error.
  http.set_error_handler(httplib::Server::HandlerWithResponse([&api](const httplib::Request& req,
                                                                     httplib::Response& res) {
    if (!res.body.empty() || res.status == 204) return httplib::Server::HandlerResponse::Unhandled;  // ours already
    if (res.status == 404 && !req.method.empty()) {
      Apply(api.Handle(ToApiRequest(req)), res);  // 405 for a known route, else 404 (or 401)
    } else {
      Apply(HttpApi::ErrorForLibraryStatus(res.status), res);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unexpected error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what += std::string(": ") + e.what();
    } catch (...) {
    }
    Apply(HttpApi::Error(500, Status::Internal(what)), res);
  });
  if (access_log) {
    http.set_logger([log = std::move(log)](const httplib::Request& req, const httplib::Response& res) {
      double ms = 0;
      if (t_request_start != Clock::time_point{}) {
        ms = std::chrono::duration<double, std::milli>(Clock::now() - t_request_start).count();
      }
      t_request_start = {};
      char line[512];
      std::snprintf(line, sizeof line, "%s %s %s %d %.3f ms", req.remote_addr.empty() ? "-" : req.remote_addr.c_str(),
                    req.method.empty() ? "-" : LoggablePath(req.method).c_str(), LoggablePath(req.path).c_str(),
                    res.status, ms);
      if (log) log(line);
    });
  }
}

}  // namespace dossier::server

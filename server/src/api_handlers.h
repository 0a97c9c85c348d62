// The glue between cpp-httplib and HttpApi: what dossierd installs on its
// httplib::Server so that every request (as httplib parsed it: request line,
// percent-decoded path and query parameters, headers) is answered by
// HttpApi::Handle, and every error httplib makes itself gets the API's JSON
// error body. Kept apart from Server (sockets, threads, the data folder) so
// that the HTTP fuzz target (fuzz/http_params_fuzzer.cc) runs exactly this
// code, through httplib's own request parser, without sockets.
#pragma once

#include <httplib.h>

#include <functional>
#include <string>

#include "http_api.h"

namespace dossier::server {

// Installs the pre-routing, "Expect: 100-continue", error and exception
// handlers (and, when `access_log` is set, the access logger writing one
// line a request to `log`) on `http`. `api` must outlive `http`.
//
// Every request is answered from its head: the API takes no request body,
// so none is read. A request announcing one (Content-Length other than 0,
// Transfer-Encoding) is answered as it would be without it (405 for a known
// route, 404, 401), or 413 when it announces more than kMaxRequestBodyBytes,
// with Connection: close (GatedHttpServer then drops what the client still
// sends, in its gate).
void InstallApiHandlers(httplib::Server& http, const HttpApi& api, bool access_log,
                        std::function<void(const std::string&)> log);

}  // namespace dossier::server

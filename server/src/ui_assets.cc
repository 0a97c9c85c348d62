// The staff web page's assets (see ui_assets.h).
#include "ui_assets.h"

#include <cstdint>
#include <cstdio>

#include "dossier/stable_hash.h"

namespace dossier::server {

namespace {

// An ETag only needs to change when the content does.
std::string EtagOf(std::string_view body) {
  const uint64_t h = Fnv1a(body);
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

UiAssets::UiAssets(const std::map<std::string, std::string>& files) {
  for (const auto& [name, body] : files) {
    assets_[name] = UiAsset{body, ContentTypeFor(name), EtagOf(body)};
  }
}

std::string UiAssets::ContentTypeFor(std::string_view name) {
  if (EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (EndsWith(name, ".json")) return "application/json; charset=utf-8";
  if (EndsWith(name, ".svg")) return "image/svg+xml";
  if (EndsWith(name, ".png")) return "image/png";
  if (EndsWith(name, ".ico")) return "image/x-icon";
  if (EndsWith(name, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool UiAssets::IsViewPath(std::string_view rest) {
  static constexpr std::string_view kViews[] = {"search", "documents", "recommendations", "actions", "followup", "entities"};
  const std::string_view first = rest.substr(0, rest.find('/'));
  for (std::string_view view : kViews) {
    if (first == view) return true;
  }
  return false;
}

const UiAsset* UiAssets::Find(std::string_view rest) const {
  if (rest.empty() || IsViewPath(rest)) rest = "index.html";
  auto it = assets_.find(rest);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace dossier::server

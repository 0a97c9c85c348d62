// The wire format between the ingester and its `dossier-worker` children,
// over a socketpair on the child's fd 3.
//
//   frame   := type:u8 · length:fixed32 (big-endian) · payload[length]
//   string  := length:fixed32 · bytes
//
// Parent → worker
//   'J' job      string path · string mime_type · string plugin_name · string content
// Worker → parent
//   'R' ready    (after the plugins loaded; sent once)
//   'M' metadata string key · string value
//   'O' ocr      page:fixed32 (a page image is being OCR'd now; extends the deadline)
//   'P' page     page:fixed32 · source:u8 · confidence×100:fixed32 (0xFFFFFFFF: not OCR) · string text
//   'W' warning  string message
//   'D' done     string extracted_by   (the job succeeded; every page was sent)
//   'E' error    code:fixed32 (StatusCode) · string message   (the job failed)
// One job at a time: the parent sends 'J' only to an idle worker, and a job
// ends with exactly one 'D' or 'E'. A worker that dies instead has crashed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dossier::worker {

enum FrameType : uint8_t {
  kJob = 'J',
  kReady = 'R',
  kMetadata = 'M',
  kOcrStarted = 'O',
  kPage = 'P',
  kWarning = 'W',
  kDone = 'D',
  kError = 'E',
};

// Exit status of a worker that ran out of memory (operator new failed under
// its RLIMIT_AS): the parent reports "out of memory".
inline constexpr int kExitOutOfMemory = 86;
// The file descriptor of the socket in the worker.
inline constexpr int kSocketFd = 3;
// Frames larger than this are refused (a page of text is far smaller).
inline constexpr uint32_t kMaxFrame = 1u << 31;

inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
  out->append(b, 4);
}
inline void PutString(std::string* out, std::string_view s) {
  PutFixed32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}
// A frame header followed by `payload`.
inline std::string Frame(FrameType type, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  out.push_back(static_cast<char>(type));
  PutFixed32(&out, static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

// Consumes from the front of a payload; every Get returns false on truncation.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool GetFixed32(uint32_t* v) {
    if (data_.size() < 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(data_.data());
    *v = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    data_.remove_prefix(4);
    return true;
  }
  bool GetU8(uint8_t* v) {
    if (data_.empty()) return false;
    *v = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return true;
  }
  bool GetString(std::string_view* s) {
    uint32_t n;
    if (!GetFixed32(&n) || data_.size() < n) return false;
    *s = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }

 private:
  std::string_view data_;
};

// Takes one whole frame off the front of `buffer`, if it holds one.
// Returns false when more bytes are needed; sets *bad on an oversized frame.
inline bool TakeFrame(std::string* buffer, size_t* consumed, FrameType* type, std::string_view* payload, bool* bad) {
  std::string_view rest = std::string_view(*buffer).substr(*consumed);
  if (rest.size() < 5) return false;
  Reader header(rest.substr(1, 4));
  uint32_t length = 0;
  (void)header.GetFixed32(&length);
  if (length > kMaxFrame) {
    *bad = true;
    return false;
  }
  if (rest.size() < 5 + size_t{length}) return false;
  *type = static_cast<FrameType>(rest[0]);
  *payload = rest.substr(5, length);
  *consumed += 5 + size_t{length};
  return true;
}

}  // namespace dossier::worker

// Status and Result<T>: how every module boundary in Dossier reports success or failure.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dossier {

// Canonical error codes, with Abseil's names and numbers (the plugin ABI uses
// the same numbers). "Retry helps" says whether running the same call again,
// unchanged, may succeed.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,           // The caller asked to stop. Retry helps.
  kUnknown = 2,             // An error with no better code (e.g. a foreign exception).
  kInvalidArgument = 3,     // Bad input regardless of state: a malformed query, a file that is not what it claims. Retry does not help.
  kDeadlineExceeded = 4,    // A time limit ran out (e.g. a plugin's per-file timeout). Retry may help.
  kNotFound = 5,            // A requested document, page, path or plugin does not exist.
  kAlreadyExists = 6,       // Something that must be new exists already.
  kPermissionDenied = 7,    // The OS refused access (file or directory permissions).
  kResourceExhausted = 8,   // A size or memory limit was hit.
  kFailedPrecondition = 9,  // The input or system is in a state the call needs changed first (encrypted PDF, wrong schema version). Retry does not help until it changes.
  kAborted = 10,            // A concurrency conflict. Retry helps.
  kOutOfRange = 11,         // A position past the end (page 12 of a 10-page document).
  kUnimplemented = 12,      // No handler for this input (unsupported file type).
  kInternal = 13,           // An invariant broke inside Dossier or a library: a bug.
  kUnavailable = 14,        // A store or service cannot be reached now (database locked by another process). Retry helps.
  kDataLoss = 15,           // Unrecoverable corruption: a truncated or damaged file, a damaged store.
  kUnauthenticated = 16,    // Missing or wrong credentials.
};

// Returns the canonical lower-case name of `code`, e.g. "not_found".
std::string_view StatusCodeName(StatusCode code);

// A Status is either OK or an error code with a message. OK holds no
// allocation, so returning and copying it is free. Messages name the thing
// that failed and why, e.g. "reports/a.pdf: page 12: cannot decode image".
// A Status is a value type; distinct objects may be used from different
// threads without synchronisation.
class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }
  static Status Cancelled(std::string msg) { return {StatusCode::kCancelled, std::move(msg)}; }
  static Status Unknown(std::string msg) { return {StatusCode::kUnknown, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) { return {StatusCode::kDeadlineExceeded, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status Unimplemented(std::string msg) { return {StatusCode::kUnimplemented, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status DataLoss(std::string msg) { return {StatusCode::kDataLoss, std::move(msg)}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message without the code; empty for OK.
  const std::string& message() const;
  // "not_found: reports/a.pdf: no such file", or "ok".
  std::string ToString() const;

  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;  // null means OK
};

// A value of type T or a non-OK Status. A default-constructed Result is an
// Unknown error, so `return {};` never reads as success.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result() : state_(Status::Unknown("uninitialised Result")) {}
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(state_).ok()) state_ = Status::Internal("Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

  // Precondition: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> state_;
};

}  // namespace dossier

// Returns early from the enclosing function with the Status of `expr` if it failed.
#define DOSSIER_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::dossier::Status dossier_status_ = (expr); \
    if (!dossier_status_.ok()) return dossier_status_; \
  } while (0)

#define DOSSIER_CONCAT_INNER_(a, b) a##b
#define DOSSIER_CONCAT_(a, b) DOSSIER_CONCAT_INNER_(a, b)
// Declares `lhs` from the value of Result-returning `expr`, or returns its error.
#define DOSSIER_ASSIGN_OR_RETURN(lhs, expr) \
  DOSSIER_ASSIGN_OR_RETURN_IMPL_(DOSSIER_CONCAT_(dossier_result_, __LINE__), lhs, expr)
#define DOSSIER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

#include "discovery.h"

#include <filesystem>
#include <string>

#include "dossier/text.h"

namespace dossier {

namespace fs = std::filesystem;

bool Partition::Holds(std::string_view key) const {
  if (count <= 1) return true;
  const uint64_t hash = std::stoull(Sha256Hex(key).substr(0, 16), nullptr, 16);
  return hash % count == index;
}

std::string Partition::Name() const { return std::to_string(index) + "/" + std::to_string(count); }

Result<Partition> ParsePartition(std::string_view spec) {
  auto number = [](std::string_view text, uint32_t* out) {
    if (text.empty() || text.size() > 7) return false;
    uint32_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    *out = value;
    return true;
  };
  const size_t slash = spec.find('/');
  Partition p;
  if (slash == std::string_view::npos || !number(spec.substr(0, slash), &p.index) ||
      !number(spec.substr(slash + 1), &p.count)) {
    return Status::InvalidArgument("partition '" + std::string(spec) + "': expected K/N, e.g. 0/4 (the first of four)");
  }
  if (p.count < 1 || p.count > 1000000) {
    return Status::InvalidArgument("partition '" + std::string(spec) + "': N must be 1 to 1,000,000");
  }
  if (p.index >= p.count) {
    return Status::InvalidArgument("partition '" + std::string(spec) + "': K counts from 0, so it must be below N (0 to " +
                                   std::to_string(p.count - 1) + ")");
  }
  return p;
}

std::string Reason(const Status& status, const std::string& path) {
  const std::string& message = status.message();
  if (message.rfind(path + ": ", 0) == 0) return message.substr(path.size() + 2);
  return message;
}

Discovery::Discovery(Env* env, DiscoveryOptions options, ProblemSink on_problem)
    : env_(env), options_(std::move(options)), on_problem_(std::move(on_problem)) {}

Discovery::~Discovery() = default;

void Discovery::AddRoot(const std::string& path) { Walk(path, /*explicitly_named=*/true, path); }

void Discovery::Walk(const std::string& path, bool explicitly_named, const std::string& root) {
  auto fail = [&](std::string reason) {
    FileResult r;
    r.path = path;
    r.message = std::move(reason);
    Problem(std::move(r));
  };
  FileInfo info;
  if (Status s = env_->Stat(path, &info); !s.ok()) {
    if (s.code() != StatusCode::kNotFound) unreadable_.push_back(path);
    return fail(Reason(s, path));
  }
  if (info.type == FileInfo::Type::kSymlink) {
    std::error_code ec;
    fs::file_status target = fs::status(path, ec);
    if (ec || !fs::exists(target)) return fail("broken symbolic link");
    if (fs::is_directory(target) && !explicitly_named) {
      FileResult r{path, FileOutcome::kSkipped};
      r.message = "symbolic link to a folder, not followed (name it explicitly to ingest it)";
      return Problem(std::move(r));
    }
    info.type = fs::is_directory(target) ? FileInfo::Type::kDirectory
                : fs::is_regular_file(target) ? FileInfo::Type::kRegular
                                              : FileInfo::Type::kOther;
    info.size = fs::is_regular_file(target) ? fs::file_size(path, ec) : 0;
  }
  if (info.type == FileInfo::Type::kDirectory) {
    // The data folder itself, met inside a walked folder (`--data ./data
    // ingest .`): its own files are not documents.
    std::error_code same_error;
    if (fs::equivalent(path, options_.data_dir, same_error)) {
      FileResult r{path, FileOutcome::kSkipped};
      r.message = "this is the data folder";
      return Problem(std::move(r));
    }
    std::vector<std::string> names;
    if (Status s = env_->ListDirectory(path, &names); !s.ok()) {
      unreadable_.push_back(path + "/");
      return fail(Reason(s, path));
    }
    for (const std::string& name : names) Walk((fs::path(path) / name).string(), false, root);
    return;
  }
  if (info.type != FileInfo::Type::kRegular) {
    if (explicitly_named) fail("not a regular file");
    return;  // sockets, fifos, devices in a folder walk
  }
  // The partition key: the path under the folder named, or a named file's own name.
  const std::string key = path == root ? fs::path(path).filename().string()
                                       : fs::path(path).lexically_relative(root).generic_string();
  const bool archive = options_.open_archives && IsArchivePath(path);
  if (!archive && !options_.partition.Holds(key)) {  // an archive's members are partitioned one by one
    other_partitions_.push_back(path);
    return;
  }
  inputs_.push_back({path, info, key});
  ++discovered_;
}

bool Discovery::Next(Candidate* c) {
  for (;;) {
    if (archive_) {
      Result<bool> next = archive_->Next(&member_);
      if (next.ok() && *next) {
        ++archive_members_;
        if (!options_.partition.Holds(archive_key_ + "/" + member_.name)) {
          other_partitions_.push_back(archive_path_ + "/" + member_.name);
          continue;
        }
        ++discovered_;
        c->path = archive_path_ + "/" + member_.name;
        c->size = member_.size;
        c->mtime_ns = member_.mtime_ns;
        c->member = true;
        c->unsafe = member_.unsafe;
        return true;
      }
      if (!next.ok()) {
        unreadable_.push_back(archive_path_ + "/");
        FileResult r{archive_path_, FileOutcome::kFailed};
        r.message = Reason(next.status(), archive_path_) + " (after " + std::to_string(archive_members_) + " member(s))";
        Problem(std::move(r));
      }
      archive_.reset();
    }
    if (next_input_ == inputs_.size()) return false;
    const Input& input = inputs_[next_input_++];
    if (options_.open_archives && IsArchivePath(input.path)) {
      --discovered_;  // counted by its members from now on
      archives_.push_back(input.path);
      Result<std::unique_ptr<ArchiveReader>> opened = ArchiveReader::Open(input.path, options_.max_archive_total_bytes);
      if (!opened.ok()) {
        ++discovered_;
        unreadable_.push_back(input.path + "/");
        DiscoveryProblem problem{{input.path, FileOutcome::kFailed}, /*record=*/true,
                                 {input.path, input.info.size, input.info.mtime_ns}};
        problem.result.message = Reason(opened.status(), input.path);
        on_problem_(std::move(problem));
        continue;
      }
      archive_ = std::move(opened).value();
      archive_path_ = input.path;
      archive_key_ = input.key;
      archive_members_ = 0;
      continue;
    }
    c->path = input.path;
    c->size = input.info.size;
    c->mtime_ns = input.info.mtime_ns;
    c->member = false;
    c->unsafe.clear();
    return true;
  }
}

Status Discovery::ReadMember(uint64_t max_bytes, std::string* content) {
  if (!archive_) return Status::FailedPrecondition("no archive member to read");
  Status s = archive_->ReadData(max_bytes, content);
  if (!s.ok() && archive_->over_total()) {  // stop reading this archive
    unreadable_.push_back(archive_path_ + "/");
    archive_.reset();
  }
  return s;
}

}  // namespace dossier

// Tests of Discovery (core/src/ingest/discovery.h): the walk of the paths an
// ingest run is given, on folders and archives made here.
#include "discovery.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

// The real file system, except that one folder cannot be listed.
class UnlistableFolderEnv : public Env {
 public:
  explicit UnlistableFolderEnv(std::string folder) : folder_(std::move(folder)) {}
  Status Stat(const std::string& path, FileInfo* info) override { return Env::Default()->Stat(path, info); }
  Status ListDirectory(const std::string& path, std::vector<std::string>* names) override {
    if (path == folder_) return Status::PermissionDenied(path + ": cannot read directory: Permission denied");
    return Env::Default()->ListDirectory(path, names);
  }
  Status ReadFile(const std::string& path, uint64_t max_bytes, std::string* content) override {
    return Env::Default()->ReadFile(path, max_bytes, content);
  }
  int64_t NowMs() override { return Env::Default()->NowMs(); }

 private:
  std::string folder_;
};

class DiscoveryTest : public ::testing::Test {
 protected:
  // Walks `roots` and returns every path offered, in order.
  std::vector<std::string> Walk(const std::vector<std::string>& roots, Env* env = Env::Default()) {
    discovery_ = std::make_unique<Discovery>(env, options_, [this](DiscoveryProblem p) { problems_.push_back(std::move(p)); });
    for (const std::string& root : roots) discovery_->AddRoot(root);
    std::vector<std::string> offered;
    Candidate c;
    while (discovery_->Next(&c)) {
      offered.push_back(c.path);
      candidates_.push_back(c);
      if (c.member && c.unsafe.empty()) {
        std::string content;
        EXPECT_TRUE(discovery_->ReadMember(1 << 20, &content).ok()) << c.path;
        contents_[c.path] = content;
      }
    }
    return offered;
  }

  TempDir in_, data_;
  DiscoveryOptions options_{data_.path()};
  std::unique_ptr<Discovery> discovery_;
  std::vector<DiscoveryProblem> problems_;
  std::vector<Candidate> candidates_;
  std::map<std::string, std::string> contents_;
};

TEST_F(DiscoveryTest, NestedFoldersAreWalkedInNameOrder) {
  WriteFile(in_ / "z.txt", "last");
  WriteFile(in_ / "a.txt", "first");
  fs::create_directories(in_ / "sub/deeper");
  WriteFile(in_ / "sub/b.txt", "second");
  WriteFile(in_ / "sub/deeper/c.txt", "third");
  fs::create_directories(in_ / "empty");
  EXPECT_EQ(Walk({in_.path()}), (std::vector<std::string>{in_ / "a.txt", in_ / "sub/b.txt", in_ / "sub/deeper/c.txt",
                                                           in_ / "z.txt"}));
  EXPECT_EQ(candidates_[1].size, 6u);
  EXPECT_FALSE(candidates_[1].member);
  EXPECT_EQ(discovery_->discovered(), 4u);
  EXPECT_TRUE(problems_.empty());
  EXPECT_TRUE(discovery_->unreadable().empty());
}

TEST_F(DiscoveryTest, AMissingPathIsAFailureNamingItAndTheOtherRootsGoOn) {
  WriteFile(in_ / "here.txt", "here");
  EXPECT_EQ(Walk({in_ / "nowhere.txt", in_ / "here.txt"}), std::vector<std::string>{in_ / "here.txt"});
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_[0].result.path, in_ / "nowhere.txt");
  EXPECT_EQ(problems_[0].result.outcome, FileOutcome::kFailed);
  EXPECT_EQ(problems_[0].result.message, "cannot stat: No such file or directory");
  EXPECT_FALSE(problems_[0].record);
  EXPECT_TRUE(discovery_->unreadable().empty());  // gone, so --prune may remove what was stored under it
}

TEST_F(DiscoveryTest, AnUnreadableFolderIsAFailureAndKeptFromPrune) {
  fs::create_directories(in_ / "locked");
  WriteFile(in_ / "locked/secret.txt", "secret");
  WriteFile(in_ / "open.txt", "open");
  UnlistableFolderEnv env(in_ / "locked");
  EXPECT_EQ(Walk({in_.path()}, &env), std::vector<std::string>{in_ / "open.txt"});
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_[0].result.path, in_ / "locked");
  EXPECT_EQ(problems_[0].result.message, "cannot read directory: Permission denied");
  EXPECT_EQ(discovery_->unreadable(), std::vector<std::string>{in_ / "locked/"});
}

TEST_F(DiscoveryTest, TheDataFolderAndLinksToFoldersInAWalkAreSkipped) {
  options_.data_dir = in_ / "data";
  fs::create_directories(in_ / "data");
  WriteFile(in_ / "data/LOCK", "");
  fs::create_directories(in_ / "elsewhere");
  WriteFile(in_ / "elsewhere/far.txt", "far");
  fs::create_directory_symlink(in_ / "elsewhere", in_ / "link");
  fs::create_directories(in_ / "walked");
  fs::create_directory_symlink(in_ / "elsewhere", in_ / "walked/link");
  EXPECT_EQ(Walk({in_ / "data", in_ / "link", in_ / "walked"}), std::vector<std::string>{in_ / "link/far.txt"});
  ASSERT_EQ(problems_.size(), 2u);
  EXPECT_EQ(problems_[0].result.path, in_ / "data");
  EXPECT_EQ(problems_[0].result.outcome, FileOutcome::kSkipped);
  EXPECT_EQ(problems_[0].result.message, "this is the data folder");
  EXPECT_EQ(problems_[1].result.path, in_ / "walked/link");
  EXPECT_EQ(problems_[1].result.outcome, FileOutcome::kSkipped);
}

TEST_F(DiscoveryTest, ArchiveMembersAreOfferedInPlaceAndADamagedArchiveIsAFailure) {
  const std::string script =
      "import sys, zipfile\n"
      "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
      "    z.writestr('memos/one.txt', 'the first memo')\n"
      "    z.writestr('../out.txt', 'climbs out')\n";
  auto made = testing::Run({DOSSIER_PYTHON, "-c", script, in_ / "box.zip"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  WriteFile(in_ / "broken.zip", "PK\x03\x04 this is not really a zip");
  EXPECT_EQ(Walk({in_.path()}), (std::vector<std::string>{in_ / "box.zip/memos/one.txt", in_ / "box.zip/../out.txt"}));
  EXPECT_TRUE(candidates_[0].member);
  EXPECT_EQ(candidates_[0].size, 14u);
  EXPECT_EQ(contents_[in_ / "box.zip/memos/one.txt"], "the first memo");
  EXPECT_FALSE(candidates_[1].unsafe.empty());
  EXPECT_EQ(discovery_->archives(), (std::vector<std::string>{in_ / "box.zip", in_ / "broken.zip"}));
  EXPECT_EQ(discovery_->discovered(), 2u);  // the members
  // Opened, then damaged at its first member: reported, with how far it got.
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_[0].result.path, in_ / "broken.zip");
  EXPECT_EQ(problems_[0].result.outcome, FileOutcome::kFailed);
  EXPECT_TRUE(problems_[0].result.message.ends_with(" (after 0 member(s))")) << problems_[0].result.message;
  EXPECT_FALSE(problems_[0].record);
  EXPECT_EQ(discovery_->unreadable(), std::vector<std::string>{in_ / "broken.zip/"});

  // Not opened, an archive is one file.
  options_.open_archives = false;
  problems_.clear();
  EXPECT_EQ(Walk({in_ / "box.zip"}), std::vector<std::string>{in_ / "box.zip"});
  EXPECT_TRUE(problems_.empty());
}

// --partition K/N: the N walks offer every file and archive member once
// between them, and which partition a file falls in depends on its path
// under the folder named, not on where that folder is or what is beside it.
TEST_F(DiscoveryTest, PartitionsCoverEveryFileOnceWhereverTheFolderIs) {
  auto make_tree = [](const std::string& root) {
    for (int i = 0; i < 40; ++i) WriteFile(root + "/r" + std::to_string(i % 4) + "/eval_" + std::to_string(i) + ".txt", "x");
    const std::string script =
        "import sys, zipfile\n"
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
        "    for i in range(20): z.writestr('memos/m%d.txt' % i, 'memo')\n";
    auto made = testing::Run({DOSSIER_PYTHON, "-c", script, root + "/box.zip"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  };
  make_tree(in_ / "here");
  make_tree(in_ / "elsewhere/mounted/differently");
  auto relative = [](const std::vector<std::string>& paths, const std::string& root) {
    std::set<std::string> out;
    for (const std::string& p : paths) out.insert(fs::path(p).lexically_relative(root).generic_string());
    return out;
  };
  const std::set<std::string> every = relative(Walk({in_ / "here"}), in_ / "here");
  ASSERT_EQ(every.size(), 60u);
  std::set<std::string> covered;
  size_t offered = 0;
  for (uint32_t k = 0; k < 3; ++k) {
    options_.partition = {k, 3};
    const std::vector<std::string> mine = Walk({in_ / "here"});
    EXPECT_GT(mine.size(), 5u) << "partition " << k << " of 3 has a fair share";
    EXPECT_EQ(discovery_->discovered(), mine.size());
    EXPECT_EQ(discovery_->other_partitions().size(), 60u - mine.size());
    offered += mine.size();
    const std::set<std::string> keys = relative(mine, in_ / "here");
    covered.insert(keys.begin(), keys.end());
    // The same tree elsewhere, named by another path: the same partition.
    EXPECT_EQ(relative(Walk({in_ / "elsewhere/mounted/differently"}), in_ / "elsewhere/mounted/differently"), keys);
  }
  EXPECT_EQ(offered, 60u) << "no file in two partitions";
  EXPECT_EQ(covered, every);
}

TEST(PartitionTest, ParsesKOfNAndSaysWhatIsWrong) {
  Result<Partition> p = ParsePartition("2/5");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->index, 2u);
  EXPECT_EQ(p->count, 5u);
  EXPECT_EQ(p->Name(), "2/5");
  EXPECT_TRUE(ParsePartition("0/1").ok());
  for (const char* bad : {"5/5", "1/0", "a/3", "3", "-1/3", "1/3/4", "", "1/99999999"}) {
    Result<Partition> r = ParsePartition(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("partition '"), std::string::npos) << r.status().message();
    }
  }
  EXPECT_NE(ParsePartition("5/5").status().message().find("K counts from 0"), std::string::npos);
  Partition all;  // the default holds every key
  EXPECT_TRUE(all.Holds("anything"));
}

}  // namespace
}  // namespace dossier

// Mapped index reads (src/mapped_index_reads.h): once enabled for a folder,
// the preads of its Xapian table files are answered from mappings, with the
// bytes the file holds; every other read, a read past the mapping, and a
// descriptor number given to another file read what pread() reads. (The
// server tests run dossierd, and so its searches, with the mappings on.)
#include "src/mapped_index_reads.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

namespace dossier::server {
namespace {

using dossier::testing::WriteFile;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 random(seed);
  std::string bytes(n, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  return bytes;
}

// What pread() gives for `n` bytes at `offset` (fewer at the end of the file).
std::string Pread(int fd, size_t n, off_t offset) {
  std::string out(n, '\0');
  const ssize_t got = ::pread(fd, out.data(), n, offset);
  out.resize(got < 0 ? 0 : static_cast<size_t>(got));
  return out;
}

class MappedIndexReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_ / "data";
    std::filesystem::create_directories(folder_);
    std::string error;
    ASSERT_TRUE(EnableMappedIndexReads({folder_}, kMaxBytes, &error)) << error;
  }
  static constexpr uint64_t kMaxBytes = 1 << 20;
  testing::TempDir dir_;
  std::string folder_;
};

TEST_F(MappedIndexReadsTest, ReadsOfATableFileComeFromItsMappingWithTheFilesBytes) {
  const std::string bytes = RandomBytes(3 * 8192 + 100, 1);
  WriteFile(folder_ + "/postlist.glass", bytes);
  const int fd = ::open((folder_ + "/postlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const MappedIndexReadCounters before = MappedIndexReads();
  for (const auto& [offset, n] : std::vector<std::pair<off_t, size_t>>{
           {0, 8192}, {8192, 8192}, {16384, 8192}, {5, 1}, {24576, 100}, {0, bytes.size()}, {100, 0}}) {
    EXPECT_EQ(Pread(fd, n, offset), bytes.substr(static_cast<size_t>(offset), n)) << offset << "+" << n;
  }
  const MappedIndexReadCounters mapped = MappedIndexReads();
  EXPECT_EQ(mapped.mapped_reads - before.mapped_reads, 7u);
  EXPECT_EQ(mapped.files_mapped, 1u);
  EXPECT_EQ(mapped.bytes_mapped, bytes.size());
  // Past the end: what the kernel gives (the bytes there are, then none).
  EXPECT_EQ(Pread(fd, 100, static_cast<off_t>(bytes.size()) - 50), bytes.substr(bytes.size() - 50));
  EXPECT_EQ(Pread(fd, 10, static_cast<off_t>(bytes.size()) + 10), "");
  EXPECT_EQ(MappedIndexReads().unmapped_reads - mapped.unmapped_reads, 2u);
  // A second descriptor shares the mapping; the last close lets it go.
  const int again = ::open((folder_ + "/postlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(Pread(again, 16, 8000), bytes.substr(8000, 16));
  EXPECT_EQ(MappedIndexReads().files_mapped, 1u);
  ::close(fd);
  EXPECT_EQ(Pread(again, 16, 9000), bytes.substr(9000, 16)) << "still mapped for the other descriptor";
  EXPECT_EQ(MappedIndexReads().files_mapped, 1u);
  ::close(again);
  EXPECT_EQ(MappedIndexReads().files_mapped, 0u);
  EXPECT_EQ(MappedIndexReads().bytes_mapped, 0u);
}

// Xapian's hint that it will read a block soon (posix_fadvise WILLNEED)
// is dropped for a mapped file, whose reads come from the mapping; any
// other file, or advice, goes to the kernel (which names a bad descriptor).
TEST_F(MappedIndexReadsTest, AReadHintForAMappedFileIsDroppedAndOthersGoToTheKernel) {
  WriteFile(folder_ + "/termlist.glass", RandomBytes(3 * 8192, 4));
  WriteFile(folder_ + "/notes.txt", RandomBytes(3 * 8192, 5));
  const int mapped = ::open((folder_ + "/termlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  const int other = ::open((folder_ + "/notes.txt").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(mapped, 0);
  ASSERT_GE(other, 0);
  const uint64_t before = MappedIndexReads().read_hints_dropped;
  EXPECT_EQ(::posix_fadvise(mapped, 8192, 8192, POSIX_FADV_WILLNEED), 0);
  EXPECT_EQ(MappedIndexReads().read_hints_dropped, before + 1);
  EXPECT_EQ(MappedIndexReads().files_mapped, 1u) << "the hint came first: the file is mapped then";
  EXPECT_EQ(::posix_fadvise(mapped, 0, 0, POSIX_FADV_RANDOM), 0);
  EXPECT_EQ(::posix_fadvise(other, 0, 8192, POSIX_FADV_WILLNEED), 0);
  EXPECT_EQ(MappedIndexReads().read_hints_dropped, before + 1) << "other advice and other files go to the kernel";
  const int closed = ::dup(other);
  ::close(closed);
  EXPECT_EQ(::posix_fadvise(closed, 0, 8192, POSIX_FADV_WILLNEED), EBADF);
  ::close(mapped);
  ::close(other);
}

TEST_F(MappedIndexReadsTest, OtherFilesAreReadByTheKernel) {
  const std::string outside = dir_ / "elsewhere";
  std::filesystem::create_directories(outside);
  const std::string bytes = RandomBytes(10000, 2);
  for (const std::string& path : {folder_ + "/notes.txt", folder_ + "/postlist.glass.tmp", outside + "/postlist.glass"}) {
    WriteFile(path, bytes);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0) << path;
    const MappedIndexReadCounters before = MappedIndexReads();
    EXPECT_EQ(Pread(fd, 8192, 1000), bytes.substr(1000, 8192)) << path;
    EXPECT_EQ(MappedIndexReads().mapped_reads, before.mapped_reads) << path;
    EXPECT_EQ(MappedIndexReads().files_mapped, 0u) << path;
    ::close(fd);
  }
}

// The mappings add up to at most the bound: a file that would pass it is
// read by the kernel, and so is a grown file whose longer mapping would.
TEST_F(MappedIndexReadsTest, TheMappingsStayWithinTheirBound) {
  const std::string big = RandomBytes(kMaxBytes / 2 + 4096, 10), small = RandomBytes(kMaxBytes / 4, 11);
  WriteFile(folder_ + "/position.glass", big);
  WriteFile(folder_ + "/termlist.glass", big);
  WriteFile(folder_ + "/postlist.glass", small);
  const int first = ::open((folder_ + "/position.glass").c_str(), O_RDONLY | O_CLOEXEC);
  const int second = ::open((folder_ + "/termlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  const int third = ::open((folder_ + "/postlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(Pread(first, 8192, 8192), big.substr(8192, 8192));
  EXPECT_EQ(Pread(second, 8192, 8192), big.substr(8192, 8192));
  EXPECT_EQ(Pread(third, 8192, 8192), small.substr(8192, 8192));
  MappedIndexReadCounters counters = MappedIndexReads();
  EXPECT_EQ(counters.files_mapped, 2u) << "the second large file would pass the bound";
  EXPECT_EQ(counters.bytes_mapped, big.size() + small.size());
  // Grown past what the bound leaves: read by the kernel, whole.
  const std::string more = RandomBytes(kMaxBytes / 4, 12);
  {
    const int writer = ::open((folder_ + "/postlist.glass").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    ASSERT_EQ(::write(writer, more.data(), more.size()), static_cast<ssize_t>(more.size()));
    ::close(writer);
  }
  const uint64_t unmapped = MappedIndexReads().unmapped_reads;
  EXPECT_EQ(Pread(third, 4096, static_cast<off_t>(small.size()) + 100), more.substr(100, 4096));
  EXPECT_EQ(MappedIndexReads().unmapped_reads, unmapped + 1);
  EXPECT_EQ(MappedIndexReads().bytes_mapped, big.size() + small.size());
  for (int fd : {first, second, third}) ::close(fd);
  EXPECT_EQ(MappedIndexReads().bytes_mapped, 0u);
}

// dossierd may start before its data folder is made: a folder enabled
// before it exists is mapped once it does.
TEST_F(MappedIndexReadsTest, AFolderMadeAfterItWasEnabledIsMapped) {
  const std::string later = dir_ / "later";
  std::string error;
  ASSERT_TRUE(EnableMappedIndexReads({later + "/data"}, kMaxBytes, &error)) << error;
  std::filesystem::create_directories(later + "/data/xapian");
  const std::string bytes = RandomBytes(20000, 13);
  WriteFile(later + "/data/xapian/postlist.glass", bytes);
  const int fd = ::open((later + "/data/xapian/postlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const uint64_t mapped = MappedIndexReads().mapped_reads;
  EXPECT_EQ(Pread(fd, 8192, 8192), bytes.substr(8192, 8192));
  EXPECT_EQ(MappedIndexReads().mapped_reads, mapped + 1);
  ::close(fd);
}

// A number a table file's descriptor had, given to another file by open()
// after close(), or by dup2() or dup3(), reads that other file.
TEST_F(MappedIndexReadsTest, ADescriptorNumberGivenToAnotherFileReadsThatFile) {
  const std::string a = RandomBytes(20000, 3), b = RandomBytes(20000, 4), c = RandomBytes(20000, 5);
  WriteFile(folder_ + "/position.glass", a);
  WriteFile(folder_ + "/termlist.glass", b);
  WriteFile(folder_ + "/other.txt", c);
  int fd = ::open((folder_ + "/position.glass").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Pread(fd, 100, 50), a.substr(50, 100));
  ::close(fd);
  const int reused = ::open((folder_ + "/termlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_EQ(reused, fd) << "the lowest free number";
  EXPECT_EQ(Pread(reused, 100, 50), b.substr(50, 100));
  EXPECT_EQ(MappedIndexReads().files_mapped, 1u);
  // dup2 onto it: the number now reads other.txt.
  const int other = ::open((folder_ + "/other.txt").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(other, 0);
  ASSERT_EQ(::dup2(other, reused), reused);
  EXPECT_EQ(Pread(reused, 100, 50), c.substr(50, 100));
  EXPECT_EQ(MappedIndexReads().files_mapped, 0u) << "termlist.glass's only descriptor was replaced";
  // dup3 onto a table file's number.
  const int table = ::open((folder_ + "/position.glass").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(Pread(table, 10, 0), a.substr(0, 10));
  ASSERT_EQ(::dup3(other, table, O_CLOEXEC), table);
  EXPECT_EQ(Pread(table, 100, 50), c.substr(50, 100));
  EXPECT_EQ(MappedIndexReads().files_mapped, 0u);
  for (int n : {reused, other, table}) ::close(n);
}

// What an ingest appends to a table file is read too: a file grown by an
// eighth or more is mapped again; until then, past the mapping, the kernel
// reads it.
TEST_F(MappedIndexReadsTest, WhatAnIngestAppendsIsRead) {
  const std::string path = folder_ + "/docdata.glass";
  std::string bytes = RandomBytes(80000, 6);
  WriteFile(path, bytes);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Pread(fd, 8192, 0), bytes.substr(0, 8192));
  const std::string more = RandomBytes(40000, 7);
  {
    const int writer = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    ASSERT_EQ(::write(writer, more.data(), more.size()), static_cast<ssize_t>(more.size()));
    ::close(writer);
  }
  bytes += more;
  const MappedIndexReadCounters before = MappedIndexReads();
  EXPECT_EQ(Pread(fd, 8192, 100000), bytes.substr(100000, 8192));
  EXPECT_EQ(MappedIndexReads().mapped_reads - before.mapped_reads, 1u) << "mapped again, whole";
  EXPECT_GE(MappedIndexReads().bytes_mapped, bytes.size());
  // A first bytes' overwrite (what another process writes) is seen at once.
  {
    const int writer = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_EQ(::pwrite(writer, "changed", 7, 10), 7);
    ::close(writer);
  }
  EXPECT_EQ(Pread(fd, 7, 10), "changed");
  ::close(fd);
}

TEST_F(MappedIndexReadsTest, ThreadsReadingOneDescriptorAllReadItsBytes) {
  const std::string bytes = RandomBytes(64 * 8192, 8);
  WriteFile(folder_ + "/postlist.glass", bytes);
  const int fd = ::open((folder_ + "/postlist.glass").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::vector<std::thread> readers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const off_t block = (i * 7 + t * 13) % 64;
        if (Pread(fd, 8192, block * 8192) != bytes.substr(static_cast<size_t>(block) * 8192, 8192)) ++wrong;
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(MappedIndexReads().files_mapped, 1u) << "one mapping, whichever thread looked first";
  ::close(fd);
  EXPECT_EQ(MappedIndexReads().files_mapped, 0u);
}

// Xapian's own reads of a database under the folder come from the mappings,
// and a search finds what it finds in a copy outside it.
TEST_F(MappedIndexReadsTest, XapianSearchesADatabaseThroughTheMappings) {
  const std::string mapped = folder_ + "/xapian", plain = dir_ / "plain";
  {
    Xapian::WritableDatabase db(mapped, Xapian::DB_CREATE);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("en"));
    const std::vector<std::string> words = {"evaluation", "recommendation", "office", "response", "finding",
                                            "programme", "management", "action", "review", "report"};
    std::mt19937 random(9);
    for (int d = 0; d < 3000; ++d) {
      std::string text;
      for (int w = 0; w < 60; ++w) (text += words[random() % words.size()]) += ' ';
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(text);
      db.add_document(doc);
    }
    db.commit();
  }
  std::filesystem::copy(mapped, plain);
  auto search = [](const std::string& path, const std::string& text) {
    Xapian::Database db(path);
    Xapian::QueryParser parser;
    parser.set_stemmer(Xapian::Stem("en"));
    parser.set_default_op(Xapian::Query::OP_AND);
    Xapian::Enquire enquire(db);
    enquire.set_query(parser.parse_query(text));
    std::string out;
    const Xapian::MSet mset = enquire.get_mset(0, 50);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      out += std::to_string(*it) + ":" + std::to_string(it.get_weight()) + ":";
      for (auto p = db.positionlist_begin(*it, "office"); p != db.positionlist_end(*it, "office"); ++p) {
        out += std::to_string(*p) + ",";
      }
      out += ' ';
    }
    return out + std::to_string(mset.get_matches_estimated());
  };
  for (const std::string query : {"office response", "\"management action\"", "review OR finding", "evaluation"}) {
    const MappedIndexReadCounters before = MappedIndexReads();
    const std::string through_mappings = search(mapped, query);
    EXPECT_GT(MappedIndexReads().mapped_reads, before.mapped_reads) << query;
    const std::string through_the_kernel = search(plain, query);
    EXPECT_EQ(through_mappings, through_the_kernel) << query;
  }
  EXPECT_EQ(MappedIndexReads().files_mapped, 0u) << "each database closed";
}

}  // namespace
}  // namespace dossier::server

// Test helpers: temporary folders, fixture files, running commands.
#include "support/test_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dossier::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  char tmpl[] = "/tmp/dossier-test-XXXXXX";
  path_ = ::mkdtemp(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

CommandResult Run(const std::vector<std::string>& argv) {
  TempDir tmp;
  const std::string out_path = tmp / "out", err_path = tmp / "err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

void MakePdf(const std::string& path, const std::string& text, const PdfOptions& options) {
  TempDir tmp;
  WriteFile(tmp / "input.txt", text);
  std::vector<std::string> argv = {DOSSIER_PYTHON, std::string(DOSSIER_SOURCE_DIR) + "/scripts/make_pdf.py",
                                   tmp / "input.txt", path};
  if (!options.title.empty()) argv.insert(argv.end(), {"--title", options.title});
  if (!options.author.empty()) argv.insert(argv.end(), {"--author", options.author});
  if (!options.date.empty()) argv.insert(argv.end(), {"--date", options.date});
  if (!options.user_password.empty()) argv.insert(argv.end(), {"--encrypt-user-password", options.user_password});
  if (options.styled) argv.push_back("--styled");
  for (const std::string& scan : options.scans) argv.insert(argv.end(), {"--scan", scan});
  if (!options.scans.empty()) argv.insert(argv.end(), {"--scan-dpi", std::to_string(options.scan_dpi)});
  CommandResult r = Run(argv);
  ASSERT_EQ(r.exit_code, 0) << "make_pdf.py failed: " << r.err;
}

CommandResult RunDossier(const std::string& data_dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {DOSSIER_CLI, "--data", data_dir, "--plugin-dir", DOSSIER_PLUGIN_DIR};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

std::string SchemaErrors(const std::string& schema, const std::string& json_file) {
  CommandResult r = Run({DOSSIER_NODE, std::string(DOSSIER_SOURCE_DIR) + "/tests/schema/validate.js",
                         std::string(DOSSIER_SOURCE_DIR) + "/schemas", schema, json_file});
  if (r.exit_code == 0) return "";
  return "exit " + std::to_string(r.exit_code) + ": " + r.err + r.out;
}

std::string SharedCorpusDir() {
  fs::path dir = fs::path(DOSSIER_SOURCE_DIR) / ".." / "shared" / "corpus";
  return fs::is_directory(dir / "pdf") ? fs::canonical(dir).string() : "";
}

}  // namespace dossier::testing

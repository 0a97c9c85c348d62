// Helpers shared by the tests: temporary folders, fixture files and running the CLI.
#pragma once

#include <string>
#include <vector>

namespace dossier::testing {

// A fresh temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

struct PdfOptions {
  std::string title;
  std::string author;
  std::string date;  // YYYY-MM-DD
  std::string user_password;  // non-empty: encrypt
  std::vector<std::string> scans;  // 8-bit PGM files appended as image-only pages
  double scan_dpi = 300;
  bool styled = false;  // lines starting "[h1] ", "[h2] ", "[b] " set in Helvetica-Bold 16, 13, 11 pt
};
// Writes a PDF whose pages are `text` split at form feeds, with
// scripts/make_pdf.py. Fails the current test when the script fails.
void MakePdf(const std::string& path, const std::string& text, const PdfOptions& options = {});

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs argv (no shell) and captures stdout and stderr.
CommandResult Run(const std::vector<std::string>& argv);
// Runs the dossier CLI with --data and --plugin-dir set.
CommandResult RunDossier(const std::string& data_dir, const std::vector<std::string>& args);
// Validates a JSON file against schemas/<schema> with Ajv; returns the validator's output
// when invalid, "" when valid.
std::string SchemaErrors(const std::string& schema, const std::string& json_file);

// The sample corpus beside the repository (../shared/corpus), or "" when absent.
std::string SharedCorpusDir();

}  // namespace dossier::testing

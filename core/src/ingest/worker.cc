// The ingest worker: the child process in which ingestion plugins (Poppler,
// Tesseract, ...) run, so that a crash, a hang or a memory blow-up on one
// file costs that file and this process, never the ingest run. Started by
// WorkerProcess (worker_process.cc) as `dossier-worker` with a socket on fd 3
// and stdio on /dev/null; protocol in worker_protocol.h.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>

#include <nlohmann/json.hpp>

#include "dossier/ingest.h"
#include "dossier/plugin_host.h"
#include "worker_protocol.h"

namespace dossier {

namespace {

using worker::Frame;
using worker::PutFixed32;
using worker::PutString;

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool ReadAll(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The parent is gone or the socket broke: nothing left to do.
[[noreturn]] void Lost() { ::_exit(0); }

void Send(worker::FrameType type, std::string_view payload) {
  if (!WriteAll(worker::kSocketFd, Frame(type, payload))) Lost();
}

void SendError(const Status& status) {
  std::string payload;
  PutFixed32(&payload, static_cast<uint32_t>(status.code()));
  PutString(&payload, status.message());
  Send(worker::kError, payload);
}

struct WorkerConfig {
  std::string plugin_dir;
  uint64_t max_memory = 0;
  std::string ocr_languages = "eng+spa";
  std::string ocr_strategy = "detect";
  bool ocr = true;
};

class Worker {
 public:
  explicit Worker(WorkerConfig config) : config_(std::move(config)) {}

  void Load() {
    host_ = PluginHost::LoadDirectory(config_.plugin_dir);
    ocr_plugin_ = config_.ocr ? host_->FindOcrPlugin() : nullptr;
  }

  void RunJob(std::string_view path, std::string_view mime, std::string_view plugin_name, std::string_view content) {
    const LoadedPlugin* plugin = nullptr;
    for (const auto& p : host_->plugins()) {
      if (p->manifest().name == plugin_name) plugin = p.get();
    }
    if (plugin == nullptr) return SendError(NotLoaded(plugin_name));
    auto& instance = instances_[plugin];
    if (!instance) {
      nlohmann::json options = {{"page_images", ocr_plugin_ != nullptr},
                                {"line_styles", true},
                                {"languages", config_.ocr_languages},
                                {"strategy", config_.ocr_strategy}};
      Result<std::unique_ptr<IngestPluginInstance>> created = plugin->CreateIngestInstance(options.dump());
      if (!created.ok()) return SendError(created.status());
      instance = std::move(created).value();
    }
    // Scanned pages: each is offered to the parent, which hands it to an
    // idle worker ('K') or has it OCR'd here ('S'), one after the other.
    std::vector<PageText> ocr_pages;
    std::vector<std::string> ocr_warnings;
    uint32_t ocr_failures = 0, handed_over = 0;
    PageImageHandler on_image;
    if (ocr_plugin_ != nullptr) {
      on_image = [&](uint32_t number, const dossier_page_image& image) -> Status {
        std::string payload;
        PutFixed32(&payload, number);
        Send(worker::kOffer, payload);
        if (AwaitAnswer() == worker::kTake) {
          Send(worker::kImage, worker::ImagePayload(number, image));
          ++handed_over;
          return Status::Ok();
        }
        Send(worker::kOcrStarted, payload);
        PageText page;
        page.number = number;
        page.source = TextSource::kOcr;
        Result<RecognisedPage> read = Recognise(image);
        if (read.ok()) {
          page.text = std::move(read->text);
          page.ocr_confidence = read->mean_confidence;
          page.line_styles = std::move(read->line_styles);
        } else {
          ++ocr_failures;
          page.ocr_confidence = 0;
          ocr_warnings.push_back("page " + std::to_string(number) + ": " + read.status().message() +
                                 "; the page is indexed as empty");
        }
        ocr_pages.push_back(std::move(page));
        return Status::Ok();
      };
    }
    Result<ExtractedFile> extracted = instance->Extract(path, mime, content, on_image);
    if (!extracted.ok()) return SendError(extracted.status());
    const DocumentMetadata& m = extracted->metadata;
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"title", &m.title}, {"author", &m.author},
                                     {"subject", &m.subject}, {"keywords", &m.keywords}, {"creator", &m.creator},
                                     {"producer", &m.producer}, {"created", &m.created}, {"modified", &m.modified},
                                     {"typeset_lines", &m.typeset_lines}}) {
      if (value->empty()) continue;
      std::string payload;
      PutString(&payload, key);
      PutString(&payload, *value);
      Send(worker::kMetadata, payload);
    }
    // Text pages and OCR'd pages, merged in page order.
    size_t t = 0, o = 0;
    std::vector<PageText>& text = extracted->pages;
    while (t < text.size() || o < ocr_pages.size()) {
      bool take_ocr = t == text.size() || (o < ocr_pages.size() && ocr_pages[o].number < text[t].number);
      const PageText& page = take_ocr ? ocr_pages[o++] : text[t++];
      Send(worker::kPage, worker::PagePayload(page));
    }
    for (const std::string& w : extracted->warnings) Send(worker::kWarning, w);
    for (const std::string& w : ocr_warnings) Send(worker::kWarning, w);
    std::string by = plugin->NameAndVersion();
    if (!ocr_pages.empty()) by += " + " + ocr_plugin_->NameAndVersion();
    std::string payload;
    PutString(&payload, by);
    PutFixed32(&payload, ocr_failures);
    Send(worker::kDone, payload);
  }

  // An 'I' job: one page image that another worker rendered.
  void RunOcrJob(std::string_view payload) {
    uint32_t number = 0;
    dossier_page_image image{};
    if (!worker::ParseImagePayload(payload, &number, &image)) {
      return SendError(Status::InvalidArgument("malformed page image from the parent"));
    }
    if (ocr_plugin_ == nullptr) return SendError(NotLoaded("ocr"));
    Result<RecognisedPage> read = Recognise(image);
    if (!read.ok()) return SendError(read.status());
    PageText page;
    page.number = number;
    page.source = TextSource::kOcr;
    page.ocr_confidence = read->mean_confidence;
    page.text = std::move(read->text);
    page.line_styles = std::move(read->line_styles);
    Send(worker::kPage, worker::PagePayload(page));
    std::string done;
    PutString(&done, ocr_plugin_->NameAndVersion());
    PutFixed32(&done, 0);
    Send(worker::kDone, done);
  }

 private:
  // Why a plugin the parent loaded is missing here: the host's reason, and
  // the worker's memory limit, the usual cause (a library that cannot be
  // mapped under RLIMIT_AS).
  Status NotLoaded(std::string_view plugin_name) const {
    std::string why;
    for (const PluginLoadReport& report : host_->reports()) {
      if (report.name == plugin_name && !report.loaded) why = ": " + report.error;
    }
    std::string message = "plugin " + std::string(plugin_name) + " did not load in the worker" + why;
    if (config_.max_memory > 0) {
      message += " (each worker may use at most " + std::to_string(config_.max_memory >> 20) +
                 " MiB, set by --max-worker-memory; raise it)";
    }
    return Status::FailedPrecondition(message);
  }

  // This worker's Tesseract engine, created at its first page.
  Result<RecognisedPage> Recognise(const dossier_page_image& image) {
    if (!ocr_engine_ && ocr_error_.ok()) {
      nlohmann::json options = {
          {"languages", config_.ocr_languages}, {"strategy", config_.ocr_strategy}, {"line_styles", true}};
      Result<std::unique_ptr<OcrPluginInstance>> created = ocr_plugin_->CreateOcrInstance(options.dump());
      if (created.ok()) ocr_engine_ = std::move(created).value();
      else ocr_error_ = created.status();
    }
    if (!ocr_engine_) return ocr_error_;
    return ocr_engine_->Recognise(image);
  }

  // The parent's answer to an offer ('K' or 'S'); anything else is a broken parent.
  static worker::FrameType AwaitAnswer() {
    char header[5];
    if (!ReadAll(worker::kSocketFd, header, sizeof header)) Lost();
    worker::Reader r(std::string_view(header + 1, 4));
    uint32_t length = 0;
    (void)r.GetFixed32(&length);
    if (length != 0 || (header[0] != worker::kTake && header[0] != worker::kKeep)) ::_exit(2);
    return static_cast<worker::FrameType>(header[0]);
  }

  WorkerConfig config_;
  std::unique_ptr<PluginHost> host_;
  const LoadedPlugin* ocr_plugin_ = nullptr;
  std::map<const LoadedPlugin*, std::unique_ptr<IngestPluginInstance>> instances_;
  std::unique_ptr<OcrPluginInstance> ocr_engine_;
  Status ocr_error_;
};

}  // namespace

int RunIngestWorker(int argc, char** argv) {
  WorkerConfig config;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--plugin-dir") config.plugin_dir = value;
    else if (flag == "--max-memory") config.max_memory = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--ocr-languages") config.ocr_languages = value;
    else if (flag == "--ocr-strategy") config.ocr_strategy = value;
    else if (flag == "--ocr") config.ocr = value == "1";
    else return 2;
  }
  // Die with the parent, even when it is killed with SIGKILL.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 0;
  ::signal(SIGPIPE, SIG_IGN);
  if (config.max_memory > 0) {
    struct rlimit limit = {config.max_memory, config.max_memory};
    ::setrlimit(RLIMIT_AS, &limit);
  }
  // Out of memory: say so by the exit status instead of unwinding through a plugin.
  std::set_new_handler([] { ::_exit(worker::kExitOutOfMemory); });

  Worker worker(std::move(config));
  worker.Load();
  Send(worker::kReady, "");
  std::string payload;
  for (;;) {
    char header[5];
    if (!ReadAll(worker::kSocketFd, header, sizeof header)) return 0;  // parent closed: done
    worker::Reader r(std::string_view(header + 1, 4));
    uint32_t length = 0;
    (void)r.GetFixed32(&length);
    payload.assign(length, '\0');
    if (!ReadAll(worker::kSocketFd, payload.data(), length)) return 0;
    if (header[0] == worker::kOcrJob) {
      worker.RunOcrJob(payload);
      payload.clear();
      payload.shrink_to_fit();
      continue;
    }
    if (header[0] != worker::kJob) return 2;
    worker::Reader job(payload);
    std::string_view path, mime, plugin, content;
    if (!job.GetString(&path) || !job.GetString(&mime) || !job.GetString(&plugin) || !job.GetString(&content)) return 2;
    worker.RunJob(path, mime, plugin, content);
    payload.clear();
    payload.shrink_to_fit();  // a big file's bytes are not kept until the next job
  }
}

}  // namespace dossier

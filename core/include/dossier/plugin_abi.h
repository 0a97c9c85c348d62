/* The plugin ABI: the only interface between the Dossier host and a plugin
 * shared library. Plain C: no C++ type and no exception crosses it.
 *
 * A plugin library exports one symbol, `dossier_plugin_entry`, returning a
 * pointer to a static `dossier_plugin` struct. The host checks `abi_version`
 * (must equal DOSSIER_PLUGIN_ABI_VERSION) and `struct_size` (must be at least
 * the size the host knows; fields are only ever appended, so a newer plugin
 * with a larger struct still loads) before touching anything else.
 *
 * Appending: fields added after the first release of ABI 1 (marked "appended")
 * are read by the host only when the plugin's `struct_size` covers them, so a
 * plugin built against an older header still loads; a plugin may likewise use
 * an appended sink callback only when the host offered it (see
 * `add_page_image`).
 *
 * Ownership: everything the host passes in is owned by the host and valid
 * only during the call. Everything the plugin returns through the entry
 * struct (strings, function pointers) must live as long as the library is
 * loaded. Errors come back as a non-zero dossier_status_code plus a message
 * written into a host-owned buffer (truncated to its capacity, always NUL
 * terminated).
 *
 * Threading: the host creates one instance per worker thread with
 * create_instance() and never calls one instance from two threads at once.
 * Instances must not share mutable state unless the plugin guards it.
 *
 * Plugins must catch every exception inside each entry point: one that
 * escapes is undefined behaviour.
 */
#ifndef DOSSIER_PLUGIN_ABI_H_
#define DOSSIER_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump only when an existing field changes meaning or position. */
#define DOSSIER_PLUGIN_ABI_VERSION 1u
#define DOSSIER_PLUGIN_ENTRY_SYMBOL "dossier_plugin_entry"

/* Same numbers as dossier::StatusCode. */
typedef enum dossier_status_code {
  DOSSIER_OK = 0,
  DOSSIER_CANCELLED = 1,
  DOSSIER_UNKNOWN = 2,
  DOSSIER_INVALID_ARGUMENT = 3, /* the input is not what it claims (not a PDF, bad encoding) */
  DOSSIER_DEADLINE_EXCEEDED = 4,
  DOSSIER_NOT_FOUND = 5,
  DOSSIER_PERMISSION_DENIED = 7,
  DOSSIER_RESOURCE_EXHAUSTED = 8, /* a size limit (pages, pixels, bytes) was hit */
  DOSSIER_FAILED_PRECONDITION = 9, /* e.g. an encrypted PDF that needs a password */
  DOSSIER_UNIMPLEMENTED = 12,
  DOSSIER_INTERNAL = 13,
  DOSSIER_DATA_LOSS = 15 /* the input is truncated or damaged */
} dossier_status_code;

typedef enum dossier_plugin_kind {
  DOSSIER_PLUGIN_INGEST = 1,   /* turns a file into pages of text */
  DOSSIER_PLUGIN_EXTRACTOR = 2 /* finds entities in a document's text */
} dossier_plugin_kind;

/* Same numbers as dossier::TextSource. */
typedef enum dossier_text_source {
  DOSSIER_TEXT_LAYER = 1,
  DOSSIER_TEXT_OCR = 2,
  DOSSIER_TEXT_PLAIN = 3
} dossier_text_source;

/* A page as pixels: a scanned PDF page the plugin rendered, or a decoded
 * image file. Rows are top to bottom, `stride` bytes apart. */
typedef struct dossier_page_image {
  uint32_t width;   /* pixels */
  uint32_t height;  /* pixels */
  uint32_t channels; /* 1 = 8-bit grey, 3 = 8-bit RGB */
  uint32_t stride;   /* bytes from one row to the next, >= width * channels */
  const unsigned char* pixels;
  float dpi;         /* resolution of the image on the page; 0 when unknown */
} dossier_page_image;

/* Appended. How a run of a page's lines is set: the type size and weight
 * the structure reader tells headings and bold lead sentences by. Lines are
 * those of the page's text split at '\n' (and '\f'), counted from 0. */
typedef enum dossier_line_flags {
  DOSSIER_LINE_BOLD = 1,   /* most of the run's letters are in a bold face */
  DOSSIER_LINE_ITALIC = 2  /* most are in an italic face */
} dossier_line_flags;

typedef struct dossier_line_style {
  uint32_t first_line;
  uint32_t line_count; /* >= 1 */
  float size;          /* type size in points (the size most of its letters have) */
  uint32_t flags;      /* dossier_line_flags */
} dossier_line_style;

/* Appended. One page's line styles, in line order, runs not overlapping. */
typedef struct dossier_page_styles {
  const dossier_line_style* styles;
  size_t count;
} dossier_page_styles;

/* A host-owned buffer for an error message. */
typedef struct dossier_error_buffer {
  char* message;
  size_t capacity;
} dossier_error_buffer;

/* The file to extract. `data` holds the whole file. */
typedef struct dossier_input {
  const char* display_name; /* the path as the user knows it, for messages */
  const char* mime_type;    /* as detected by the host from the content */
  const unsigned char* data;
  size_t size;
} dossier_input;

/* Where an ingestion plugin sends what it finds. Every callback returns
 * DOSSIER_OK, or DOSSIER_CANCELLED when the host wants the plugin to stop
 * (the plugin should then return DOSSIER_CANCELLED promptly). */
typedef struct dossier_page_sink {
  void* host_context;
  /* Metadata from the file. Keys: title, author, subject, keywords, creator,
   * producer, created, modified (dates as ISO 8601). Value is UTF-8. */
  int32_t (*set_metadata)(void* host_context, const char* key, const char* value, size_t value_len);
  /* The next page, numbers 1..n in order. `text` is UTF-8 (need not be NUL
   * terminated). `ocr_confidence` is 0..100 for OCR, -1 otherwise. */
  int32_t (*add_page)(void* host_context, uint32_t page_number, const char* text, size_t text_len,
                      uint32_t text_source, float ocr_confidence);
  /* A problem that does not stop the document, e.g. one page that failed. */
  void (*warn)(void* host_context, uint32_t page_number, const char* message);
  /* Appended. The next page as pixels, for the host to OCR (a page without a
   * usable text layer, or an image file). Call it only when the instance was
   * created with "page_images": true in its options: older hosts lack it. The
   * host copies the pixels before returning; it may block while its OCR
   * workers are busy. The page then counts as sent, in order, like add_page. */
  int32_t (*add_page_image)(void* host_context, uint32_t page_number, const dossier_page_image* image);
  /* Appended. How the lines of the page sent next are set (dossier_line_style),
   * called just before that page's add_page. Call it only when the instance
   * was created with "line_styles": true in its options: older hosts lack it.
   * Lines the plugin cannot tell get no run; runs past the page's last line
   * are dropped. */
  int32_t (*set_line_styles)(void* host_context, uint32_t page_number, const dossier_line_style* styles,
                             size_t count);
} dossier_page_sink;

/* Where an OCR plugin sends what it read on one page image. */
typedef struct dossier_ocr_sink {
  void* host_context;
  /* The page's text (UTF-8) and Tesseract-style mean word confidence 0..100. */
  void (*set_text)(void* host_context, const char* text, size_t text_len, float mean_confidence);
  /* What clean-up did ("deskewed by 1.4 degrees", "rotated 180"), for logs. */
  void (*note)(void* host_context, const char* message);
  /* Appended. How the lines of the text sent with set_text are set, as
   * estimated from the image (dossier_line_style, runs in line order). Call
   * it only when the instance was created with "line_styles": true in its
   * options: older hosts lack it. Runs past the text's last line are dropped. */
  int32_t (*set_line_styles)(void* host_context, const dossier_line_style* styles, size_t count);
} dossier_ocr_sink;

/* One page of a document, as an extractor sees it. */
typedef struct dossier_page_view {
  uint32_t number;      /* 1-based */
  uint32_t text_source; /* dossier_text_source */
  const char* text;     /* UTF-8, NFC, not NUL terminated */
  size_t text_len;
} dossier_page_view;

/* A stored document, as an extractor sees it. Strings are NUL terminated. */
typedef struct dossier_document_view {
  const char* id;        /* 16 hex digits */
  const char* title;
  const char* language;  /* ISO 639-1 or "und" */
  const char* mime_type;
  const char* created;   /* ISO 8601 from the file's metadata, or "" */
  const char* source_path;
  const dossier_page_view* pages;
  size_t page_count;
  /* Appended. page_count entries, parallel to `pages` (a page without styles
   * has count 0). Read it only when the instance was created with
   * "line_styles": true in its options: older hosts lack the field. */
  const dossier_page_styles* page_styles;
} dossier_document_view;

/* Where an extractor sends what it finds: one fact per call, as a JSON
 * object (entities, mentions, numbered items, dates, relations; the fact
 * grammar is dossier/facts.h, whose EncodeFact writes it, and
 * docs/ARCHITECTURE.md). Returns DOSSIER_OK, or DOSSIER_INVALID_ARGUMENT for
 * a malformed fact (the message is kept as a warning), or DOSSIER_CANCELLED. */
typedef struct dossier_fact_sink {
  void* host_context;
  int32_t (*add_fact)(void* host_context, const char* json, size_t json_len);
} dossier_fact_sink;

typedef struct dossier_plugin {
  uint32_t abi_version; /* DOSSIER_PLUGIN_ABI_VERSION */
  uint32_t struct_size; /* sizeof(dossier_plugin) as the plugin was built */
  const char* name;     /* must equal the manifest's name */
  const char* version;  /* the plugin's own version, e.g. "0.1.0" */
  uint32_t kind;        /* dossier_plugin_kind */

  /* Creates an instance (one per worker thread). `options_json` is a JSON
   * object (may be "{}"). Returns NULL and writes `error` on failure. */
  void* (*create_instance)(const char* options_json, dossier_error_buffer* error);
  void (*destroy_instance)(void* instance);

  /* Ingest plugins: extract the pages of `input` (NULL for extractors). Returns DOSSIER_OK or an
   * error code with `error` written. On error the host discards whatever was
   * already sent to `sink` for this input. */
  int32_t (*extract_pages)(void* instance, const dossier_input* input, const dossier_page_sink* sink,
                           dossier_error_buffer* error);

  /* Extractor plugins: find facts in a stored document's text. NULL for
   * ingestion plugins. */
  int32_t (*extract_facts)(void* instance, const dossier_document_view* document, const dossier_fact_sink* sink,
                           dossier_error_buffer* error);

  /* ---- appended: read only when struct_size covers them ---- */

  /* OCR plugins (ingestion plugins that can read page images): recognise the
   * text of one page. NULL for every other plugin. The host calls it from its
   * OCR workers, one instance per worker. */
  int32_t (*recognise_page)(void* instance, const dossier_page_image* image, const dossier_ocr_sink* sink,
                            dossier_error_buffer* error);
} dossier_plugin;

/* The size of dossier_plugin before any field was appended: the least a host accepts. */
#define DOSSIER_PLUGIN_BASE_SIZE (offsetof(dossier_plugin, extract_facts) + sizeof(void*))

/* The one exported symbol. */
typedef const dossier_plugin* (*dossier_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* DOSSIER_PLUGIN_ABI_H_ */

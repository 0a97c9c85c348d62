# dossier_core's sources, in the groups the fuzz build (fuzz/CMakeLists.txt)
# compiles on their own. Both read this list: a file added to a group here is
# built into dossier_core and into the fuzz library that holds the group, so
# the two cannot drift apart (a core file the fuzz list lacked once broke the
# fuzz build's link in CI). Absolute paths, for either folder's use.
set(_core ${CMAKE_CURRENT_LIST_DIR})

# A document, its record and keys, and text (what every other group shares).
set(DOSSIER_CORE_RECORD_SOURCES
  ${_core}/src/base/document.cc
  ${_core}/src/text/text.cc
  ${_core}/src/store/keys.cc
  ${_core}/src/store/document_record.cc
  ${_core}/src/store/write_failure.cc)

# The Xapian index: the search, its pages and snippets, the item index.
set(DOSSIER_CORE_INDEX_SOURCES
  ${_core}/src/base/paths.cc
  ${_core}/src/store/text_index.cc
  ${_core}/src/store/remote_index.cc
  ${_core}/src/store/xapian_text.cc
  ${_core}/src/store/function_words.cc
  ${_core}/src/store/item_index.cc
  ${_core}/src/store/facet_columns.cc
  ${_core}/src/store/position_cache.cc
  ${_core}/src/store/word_pairs.cc
  ${_core}/src/store/byte_classes.cc
  ${_core}/src/store/snippet.cc)

# The store, the graph and the query service over them.
set(DOSSIER_CORE_STORE_SOURCES
  ${_core}/src/base/env.cc
  ${_core}/src/store/store.cc
  ${_core}/src/store/reader_folder.cc
  ${_core}/src/store/graph.cc
  ${_core}/src/store/graph_builder.cc
  ${_core}/src/store/graph_linker.cc
  ${_core}/src/store/near_duplicates.cc
  ${_core}/src/text/near_duplicate.cc
  ${_core}/src/ingest/file_outcome.cc
  ${_core}/src/query/query_service.cc
  ${_core}/src/query/graph_export.cc
  ${_core}/src/query/duplicates.cc
  ${_core}/src/json/json.cc)

# The checks, merges, plugin host and ingester (no fuzz target builds them).
set(DOSSIER_CORE_INGEST_SOURCES
  ${_core}/src/store/check.cc
  ${_core}/src/store/merge.cc
  ${_core}/src/plugin_host/manifest.cc
  ${_core}/src/plugin_host/plugin_host.cc
  ${_core}/src/base/title_date.cc
  ${_core}/src/ingest/ingest.cc
  ${_core}/src/ingest/admission.cc
  ${_core}/src/ingest/worker_pool.cc
  ${_core}/src/ingest/committer.cc
  ${_core}/src/ingest/archive.cc
  ${_core}/src/ingest/discovery.cc
  ${_core}/src/ingest/worker.cc
  ${_core}/src/ingest/worker_process.cc)
unset(_core)

// dossierd: placeholder that states what the server will do; the HTTP API is not built yet.
#include <cstdio>

int main() {
  std::fprintf(stderr,
               "usage: dossierd --data DIR [--listen 127.0.0.1:8080]\n"
               "dossierd: the HTTP JSON API is not built yet; use the `dossier` command-line tool.\n");
  return 2;
}

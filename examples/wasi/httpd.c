/* httpd.c: a small HTTP/1.1 server for WASI preview 1 (and, the same source, for the host).
 *
 *   osbuild run --tcplisten 127.0.0.1:8080 --dir examples/wasi::www examples/wasi/httpd.wasm www
 *   curl http://127.0.0.1:8080/count
 *
 * Under WASI the listening socket is the preopen of `--tcplisten` (the first socket among the
 * descriptors from 3, after the directories); built natively (`clang -O2 httpd.c`), the first argument after the directory is the
 * port to listen on, on 127.0.0.1 (bench/http_load.py runs both). Serves:
 *   GET /count     a counter, incremented by each request to it
 *   GET /quit      answers, then the server exits
 *   POST /upload   reads the body and answers with its length
 *   GET /bytes/N   N bytes made up in memory (no file system: the transport alone)
 *   GET /PATH      the file PATH below the directory given as the first argument
 * One thread, non-blocking sockets and poll(); keep-alive; a connection is not read while its
 * answer is still being written, so a client that never reads only stalls itself. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef __wasi__
#include <netinet/in.h>
#endif

#define MAX_CONNS 256
#define IN_MAX 16384 /* a request header must fit */
#define FILE_MAX (1 << 20)

struct conn {
  int fd;
  char in[IN_MAX + 1];
  size_t in_len;          /* bytes received and not yet handled */
  long long body_left;    /* POST body bytes still to read */
  long long body_len;
  int keep_alive;
  char *out;              /* the answer being written */
  size_t out_len, out_pos;
};

static struct conn *conns[MAX_CONNS];
static const char *root = ".";
static long counter;
static int quitting;

static int listen_socket(int argc, char **argv) {
#ifdef __wasi__
  (void)argc, (void)argv;
  struct stat st; /* the preopened socket follows the preopened directories */
  for (int fd = 3; fstat(fd, &st) == 0; fd++)
    if (S_ISSOCK(st.st_mode)) return fd;
  fprintf(stderr, "httpd: no listening socket: run with --tcplisten HOST:PORT\n");
  exit(1);
#else
  int port = argc > 2 ? atoi(argv[2]) : 8080;
  int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                          .sin_addr.s_addr = htonl(0x7f000001)};
  if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 512) < 0) {
    perror("httpd: listen");
    exit(1);
  }
  return s;
#endif
}

/* The answer: status line, headers and body in one buffer. */
static void respond(struct conn *c, const char *status, const char *type, const char *body,
                    size_t len) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", status,
                   type, len, c->keep_alive ? "" : "Connection: close\r\n");
  c->out = malloc((size_t)n + len);
  if (!c->out) exit(1);
  memcpy(c->out, head, (size_t)n);
  memcpy(c->out + n, body, len);
  c->out_len = (size_t)n + len, c->out_pos = 0;
}

static void respond_text(struct conn *c, const char *status, const char *text) {
  respond(c, status, "text/plain", text, strlen(text));
}

static const char *content_type(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && !strcmp(dot, ".html")) return "text/html";
  if (dot && (!strcmp(dot, ".c") || !strcmp(dot, ".txt"))) return "text/plain";
  return "application/octet-stream";
}

static void serve_file(struct conn *c, const char *path) {
  char full[512];
  if (strstr(path, "..") || snprintf(full, sizeof full, "%s%s", root, path) >= (int)sizeof full)
    return respond_text(c, "403 Forbidden", "forbidden\n");
  int fd = open(full, O_RDONLY);
  if (fd < 0) return respond_text(c, "404 Not Found", "not found\n");
  char *buf = malloc(FILE_MAX);
  ssize_t n = buf ? read(fd, buf, FILE_MAX) : -1;
  close(fd);
  if (n < 0) respond_text(c, "404 Not Found", "not a file\n");
  else respond(c, "200 OK", content_type(path), buf, (size_t)n);
  free(buf);
}

/* A header's value (case-insensitive name), or NULL. */
static const char *header(const char *head, const char *name) {
  size_t len = strlen(name);
  for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n"))
    if (!strncasecmp(p + 2, name, len) && p[2 + len] == ':') return p + 3 + len;
  return NULL;
}

/* A complete request header (NUL-terminated): start the answer, or the body. */
static void handle(struct conn *c, const char *req) {
  char method[8], path[256], version[16];
  if (sscanf(req, "%7s %255s %15s", method, path, version) != 3) {
    c->keep_alive = 0;
    return respond_text(c, "400 Bad Request", "bad request\n");
  }
  const char *conn = header(req, "Connection");
  c->keep_alive = strcmp(version, "HTTP/1.0") && !(conn && strstr(conn, "close"));
  const char *cl = header(req, "Content-Length");
  c->body_len = c->body_left = cl ? atoll(cl) : 0;
  if (!strcmp(method, "POST") && !strcmp(path, "/upload")) {
    if (!c->body_left) respond_text(c, "200 OK", "0\n");
    return; /* otherwise answered after the body */
  }
  if (strcmp(method, "GET")) return respond_text(c, "405 Method Not Allowed", "GET only\n");
  char text[64];
  if (!strcmp(path, "/count")) {
    snprintf(text, sizeof text, "%ld\n", ++counter);
    return respond_text(c, "200 OK", text);
  }
  if (!strncmp(path, "/bytes/", 7)) {
    size_t n = (size_t)atol(path + 7);
    char *body = n <= FILE_MAX ? malloc(n + 1) : NULL;
    if (!body) return respond_text(c, "413 Content Too Large", "at most 1 MiB\n");
    for (size_t i = 0; i < n; i++) body[i] = (char)('a' + i % 26);
    respond(c, "200 OK", "application/octet-stream", body, n);
    free(body);
    return;
  }
  if (!strcmp(path, "/quit")) {
    quitting = 1;
    c->keep_alive = 0;
    return respond_text(c, "200 OK", "bye\n");
  }
  serve_file(c, !strcmp(path, "/") ? "/index.html" : path);
}

static void drop(int i) {
  close(conns[i]->fd);
  free(conns[i]->out);
  free(conns[i]);
  conns[i] = NULL;
}

static void consume(struct conn *c, size_t n) {
  memmove(c->in, c->in + n, c->in_len - n);
  c->in_len -= n;
}

/* Handle what has arrived, until an answer is to be written: body bytes (counted and
 * dropped), then the next request. What follows stays for after the answer (pipelining). */
static void process(struct conn *c) {
  while (!c->out && c->in_len) {
    if (c->body_left) {
      size_t take = (long long)c->in_len < c->body_left ? c->in_len : (size_t)c->body_left;
      consume(c, take);
      c->body_left -= (long long)take;
      if (!c->body_left) {
        char text[32];
        snprintf(text, sizeof text, "%lld\n", c->body_len);
        respond_text(c, "200 OK", text);
      }
      continue;
    }
    c->in[c->in_len] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return;
    end[2] = 0;
    size_t len = (size_t)(end + 4 - c->in);
    handle(c, c->in);
    consume(c, len);
  }
}

/* Take what has arrived. 0: close it (end, reset, vanished client, header too long). */
static int on_readable(struct conn *c) {
  if (c->in_len == IN_MAX) return 0;
  ssize_t n = read(c->fd, c->in + c->in_len, IN_MAX - c->in_len);
  if (n == 0 || (n < 0 && errno != EAGAIN)) return 0;
  if (n > 0) c->in_len += (size_t)n;
  process(c);
  return 1;
}

/* Write what the answer has left. 0: close it. */
static int on_writable(struct conn *c) {
  ssize_t n = write(c->fd, c->out + c->out_pos, c->out_len - c->out_pos);
  if (n < 0) return errno == EAGAIN;
  c->out_pos += (size_t)n;
  if (c->out_pos < c->out_len) return 1;
  free(c->out);
  c->out = NULL;
  if (c->keep_alive) process(c);
  return c->keep_alive;
}

static void accept_all(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
    if (fd < 0) return;
    int i = 0;
    while (i < MAX_CONNS && conns[i]) i++;
    struct conn *c = i < MAX_CONNS ? calloc(1, sizeof *c) : NULL;
    if (!c) {
      close(fd);
      continue;
    }
    c->fd = fd;
    conns[i] = c;
  }
}

int main(int argc, char **argv) {
  if (argc > 1) root = argv[1];
  int lfd = listen_socket(argc, argv);
  static struct pollfd pfd[MAX_CONNS + 1];
  static int who[MAX_CONNS + 1];
  for (;;) {
    int n = 0;
    if (!quitting) pfd[n] = (struct pollfd){.fd = lfd, .events = POLLIN}, who[n++] = -1;
    for (int i = 0; i < MAX_CONNS; i++) {
      if (!conns[i]) continue;
      pfd[n] = (struct pollfd){.fd = conns[i]->fd, .events = conns[i]->out ? POLLOUT : POLLIN};
      who[n++] = i;
    }
    if (quitting && n == 0) return 0;
    if (poll(pfd, (nfds_t)n, -1) < 0) {
      perror("httpd: poll");
      return 1;
    }
    for (int k = 0; k < n; k++) {
      if (!pfd[k].revents) continue;
      if (who[k] < 0) {
        accept_all(lfd);
        continue;
      }
      struct conn *c = conns[who[k]];
      int keep = c->out ? on_writable(c) : on_readable(c);
      if (keep && !c->out && quitting) keep = 0;
      if (!keep) drop(who[k]);
    }
  }
}

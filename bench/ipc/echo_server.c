/*
 * echo_server - the floor of the IPC benchmark: a Unix stream socket server that does nothing but the
 * transport. For each length-prefixed frame (u32 big-endian length, then that many bytes: the framing of
 * docs/protocol.md §2) it reads the whole frame and writes it back unchanged. Blocking I/O, one thread,
 * one connection at a time (the benchmark's echo phases are sequential: one request in flight).
 *
 *   echo_server --socket PATH
 *
 * Prints "ready" on stdout once it listens. Runs until killed (SIGTERM/SIGINT: default action).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Frames of the protocol are at most 4 + 4096 bytes; a little room for whatever else a test sends. */
#define MAX_FRAME (64 * 1024)

static uint8_t frame[4 + MAX_FRAME];

/* 1: n bytes read; 0: end of stream (or an error) before n bytes. */
static int read_full(int fd, uint8_t *p, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = read(fd, p + off, n - off);
        if (r > 0) {
            off += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        return 0;
    }
    return 1;
}

static int write_full(int fd, const uint8_t *p, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, p + off, n - off);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        return 0;
    }
    return 1;
}

static void serve(int fd)
{
    for (;;) {
        uint32_t length;
        if (!read_full(fd, frame, 4)) return;
        length = (uint32_t)frame[0] << 24 | (uint32_t)frame[1] << 16 | (uint32_t)frame[2] << 8 | (uint32_t)frame[3];
        if (length > MAX_FRAME) {
            fprintf(stderr, "echo_server: frame length %lu over %d, connection closed\n", (unsigned long)length, MAX_FRAME);
            return;
        }
        if (!read_full(fd, frame + 4, length)) return;
        if (!write_full(fd, frame, (size_t)length + 4)) return;
    }
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    struct sockaddr_un sa;
    int i, listener;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) path = argv[++i];
        else {
            fprintf(stderr, "usage: echo_server --socket PATH\n");
            return 2;
        }
    }
    if (!path || strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "usage: echo_server --socket PATH (at most %d bytes)\n", (int)sizeof sa.sun_path - 1);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* a client gone mid-write is an error return, not a dead server */

    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0) {
        perror("echo_server: socket");
        return 1;
    }
    unlink(path); /* a stale socket file of an earlier run */
    if (bind(listener, (const struct sockaddr *)&sa, sizeof sa) != 0 || listen(listener, 8) != 0) {
        perror("echo_server: bind/listen");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);

    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            perror("echo_server: accept");
            return 1;
        }
        serve(fd);
        close(fd);
    }
}

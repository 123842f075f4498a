/*
 * fe_ipc_bench - the C side of the IPC benchmark (bench/README.md, "IPC round trip").
 *
 *   fe_ipc_bench --socket PATH --requests FILE --count N [--warmup W] [--out FILE] [--echo] [--sync]
 *                [--timeout MS]
 *
 * Reads W + N score requests from FILE (written by `FraudEdge.Bench ipc`: the same events the .NET client
 * sends), sends W unmeasured, then N measured, one in flight at a time, and writes each measured round
 * trip in nanoseconds (CLOCK_MONOTONIC) to --out, one per line; in the default mode followed by a space and
 * the service's elapsed_us of that request (the decision core's own time; 0 when refused). Last line on stdout:
 *   fe_ipc_bench: mode=score n=N warmup=W median_us=… p99_us=… errors=E payload_bytes=B payload_fnv1a=0x…
 *
 * Default mode: clients/c's API (fe_open, fe_score) against fraudedged; an error is any result other than
 * FE_OK (a refusal by the service included).
 * --echo: the same frames, encoded by fe_encode_score_request, sent raw with blocking write() to
 * echo_server and read back whole with blocking read(): the C↔C transport floor for frames of exactly
 * this size. An error is an echo that differs from what was sent.
 * --sync: after the warm-up print "warm" and wait for a line on stdin; after the measured requests print
 * "done" and wait for a line on stdin before the connection is closed. The benchmark reads the service's
 * Status between those points, so the service's allocation window holds the measured requests only.
 *
 * Requests file: lines starting with '#' are comments; every other line is one request, 27 fields
 * separated by single spaces, field k = key k of docs/protocol.md §4.1:
 *   event_id terminal_id merchant_id lane operator_id timestamp_ms local_offset_min kind amount_minor
 *   cashback_minor currency mcc terminal_country card_token(32 hex) bin last_four scheme card_type
 *   issuer_country expiry_yymm service_code entry_mode cvm atc("-" = absent) tvr(10 hex) cryptogram
 *   attended(0/1)
 * payload_fnv1a is FNV-1a 64 over the payload bytes (frame minus its 10-byte header) of the N measured
 * requests, in order: the benchmark computes the same over the .NET encoder's frames, so a match shows
 * that both clients put the same bytes on the wire.
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
#include <time.h>
#include <unistd.h>

#include "fraudedge.h"

#define FRAME_CAP 256 /* a ScoreRequest frame is at most 200 bytes (fraudedge.h) */
#define LINE_CAP 1024
#define FIELDS 27

typedef struct frame_ref {
    size_t offset;
    size_t length;
} frame_ref;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void usage(void)
{
    fprintf(stderr, "usage: fe_ipc_bench --socket PATH --requests FILE --count N [--warmup W] [--out FILE] [--echo] [--sync] [--timeout MS]\n");
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9') return 0;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != 0 || v > max) return 0;
    *out = (uint64_t)v;
    return 1;
}

static int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v;
    if (*s == 0) return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != 0 || v < min || v > max) return 0;
    *out = (int64_t)v;
    return 1;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_hex(const char *s, uint8_t *out, size_t n)
{
    size_t i;
    if (strlen(s) != 2 * n) return 0;
    for (i = 0; i < n; i++) {
        int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0) return 0;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 1;
}

static int copy_id(const char *s, char out[17])
{
    size_t n = strlen(s);
    if (n == 0 || n > 16) return 0;
    memcpy(out, s, n + 1);
    return 1;
}

/* One line of the requests file into *req. 1: parsed; 0: malformed. */
static int parse_request(char *line, fe_score_request *req)
{
    char *field[FIELDS];
    char *p = line;
    uint64_t u;
    int64_t i;
    int n = 0;

    while (n < FIELDS) {
        field[n++] = p;
        p = strchr(p, ' ');
        if (!p) break;
        *p++ = 0;
    }
    if (n != FIELDS || p != NULL) return 0;

    fe_score_request_init(req);
#define U(k, max, dst) do { if (!parse_u64(field[(k) - 1], (max), &u)) return 0; (dst) = u; } while (0)
#define I(k, min, max, dst) do { if (!parse_i64(field[(k) - 1], (min), (max), &i)) return 0; (dst) = i; } while (0)
    U(1, UINT64_MAX, req->event_id);
    if (!copy_id(field[1], req->terminal_id) || !copy_id(field[2], req->merchant_id)) return 0;
    U(4, UINT16_MAX, req->lane);
    U(5, UINT32_MAX, req->operator_id);
    I(6, INT64_MIN, INT64_MAX, req->timestamp_ms);
    I(7, INT16_MIN, INT16_MAX, req->local_offset_min);
    U(8, UINT8_MAX, req->kind);
    I(9, INT64_MIN, INT64_MAX, req->amount_minor);
    I(10, INT64_MIN, INT64_MAX, req->cashback_minor);
    U(11, UINT16_MAX, req->currency);
    U(12, UINT16_MAX, req->mcc);
    U(13, UINT16_MAX, req->terminal_country);
    if (!parse_hex(field[13], req->card_token, 16)) return 0;
    U(15, UINT32_MAX, req->bin);
    U(16, UINT16_MAX, req->last_four);
    U(17, UINT8_MAX, req->scheme);
    U(18, UINT8_MAX, req->card_type);
    U(19, UINT16_MAX, req->issuer_country);
    U(20, UINT16_MAX, req->expiry_yymm);
    U(21, UINT16_MAX, req->service_code);
    U(22, UINT8_MAX, req->entry_mode);
    U(23, UINT8_MAX, req->cvm);
    if (strcmp(field[23], "-") == 0) {
        req->has_atc = false;
    } else {
        U(24, UINT16_MAX, req->atc);
        req->has_atc = true;
    }
    if (!parse_hex(field[24], req->tvr, 5)) return 0;
    U(26, UINT8_MAX, req->cryptogram);
    U(27, 1, req->attended);
#undef U
#undef I
    return 1;
}

/* Reads up to max requests; returns how many, or -1 on a malformed line (reported on stderr). */
static long read_requests(const char *path, fe_score_request *reqs, long max)
{
    char line[LINE_CAP];
    long n = 0, number = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "fe_ipc_bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        number++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0 || line[0] == '#') continue;
        if (!parse_request(line, &reqs[n])) {
            fprintf(stderr, "fe_ipc_bench: %s:%ld: not a request line\n", path, number);
            fclose(f);
            return -1;
        }
        n++;
    }
    fclose(f);
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least q of the sample at or below it (as the .NET side). */
static int64_t quantile(const int64_t *sorted, long n, double q)
{
    long rank = (long)(q * (double)n + 0.999999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

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

static int connect_blocking(const char *path)
{
    struct sockaddr_un sa;
    int fd;
    if (strlen(path) >= sizeof sa.sun_path) return -1;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* --sync: tell the benchmark where we are and wait for its go-ahead (a line on stdin). */
static int sync_point(int enabled, const char *what)
{
    char line[64];
    if (!enabled) return 1;
    printf("%s\n", what);
    fflush(stdout);
    return fgets(line, sizeof line, stdin) != NULL;
}

int main(int argc, char **argv)
{
    const char *socket_path = NULL, *requests_path = NULL, *out_path = NULL;
    long count = -1, warmup = 0, total, loaded, i, errors = 0, warmup_errors = 0;
    int echo = 0, sync = 0, timeout_ms = FE_DEFAULT_TIMEOUT_MS, a;
    fe_score_request *reqs;
    uint8_t *frames, *back;
    frame_ref *refs;
    int64_t *rtt, *sorted;
    uint32_t *core;
    uint64_t fnv = UINT64_C(14695981039346656037), payload_bytes = 0;
    size_t frames_len = 0;

    for (a = 1; a < argc; a++) {
        const char *arg = argv[a];
        const char *value = a + 1 < argc ? argv[a + 1] : NULL;
        uint64_t v;
        if (strcmp(arg, "--echo") == 0) echo = 1;
        else if (strcmp(arg, "--sync") == 0) sync = 1;
        else if (value && strcmp(arg, "--socket") == 0) socket_path = argv[++a];
        else if (value && strcmp(arg, "--requests") == 0) requests_path = argv[++a];
        else if (value && strcmp(arg, "--out") == 0) out_path = argv[++a];
        else if (value && strcmp(arg, "--count") == 0 && parse_u64(value, 100000000, &v)) { count = (long)v; a++; }
        else if (value && strcmp(arg, "--warmup") == 0 && parse_u64(value, 100000000, &v)) { warmup = (long)v; a++; }
        else if (value && strcmp(arg, "--timeout") == 0 && parse_u64(value, 3600000, &v)) { timeout_ms = (int)v; a++; }
        else {
            usage();
            return 2;
        }
    }
    if (!socket_path || !requests_path || count < 1) {
        usage();
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);

    total = warmup + count;
    reqs = malloc((size_t)total * sizeof *reqs);
    refs = malloc((size_t)total * sizeof *refs);
    frames = malloc((size_t)total * FRAME_CAP);
    back = malloc(FRAME_CAP);
    rtt = malloc((size_t)count * sizeof *rtt);
    core = calloc((size_t)count, sizeof *core);
    sorted = malloc((size_t)count * sizeof *sorted);
    if (!reqs || !refs || !frames || !back || !rtt || !core || !sorted) {
        fprintf(stderr, "fe_ipc_bench: out of memory\n");
        return 1;
    }
    loaded = read_requests(requests_path, reqs, total);
    if (loaded < 0) return 1;
    if (loaded < total) {
        fprintf(stderr, "fe_ipc_bench: %s has %ld requests, %ld needed (warm-up %ld + count %ld)\n", requests_path, loaded, total, warmup, count);
        return 1;
    }

    /* Encode everything before the clock starts: the echo sends these frames, the checksum covers them. */
    for (i = 0; i < total; i++) {
        int n = fe_encode_score_request(frames + frames_len, FRAME_CAP, (uint32_t)(i + 1), &reqs[i]);
        if (n < 0) {
            fprintf(stderr, "fe_ipc_bench: request %ld does not encode: %s\n", i + 1, fe_strerror(n));
            return 1;
        }
        refs[i].offset = frames_len;
        refs[i].length = (size_t)n;
        frames_len += (size_t)n;
        if (i >= warmup) {
            size_t b;
            for (b = FE_FRAME_HEADER_BYTES; b < (size_t)n; b++) {
                fnv ^= frames[refs[i].offset + b];
                fnv *= UINT64_C(1099511628211);
            }
            payload_bytes += (uint64_t)n - FE_FRAME_HEADER_BYTES;
        }
    }

    if (echo) {
        int fd = connect_blocking(socket_path);
        if (fd < 0) {
            fprintf(stderr, "fe_ipc_bench: connect %s: %s\n", socket_path, strerror(errno));
            return 1;
        }
        for (i = 0; i < total; i++) {
            const uint8_t *f = frames + refs[i].offset;
            size_t n = refs[i].length;
            int64_t t0, t1;
            int ok;
            if (i == warmup && !sync_point(sync, "warm")) return 1;
            t0 = now_ns();
            ok = write_full(fd, f, n) && read_full(fd, back, n);
            t1 = now_ns();
            if (!ok) {
                fprintf(stderr, "fe_ipc_bench: echo connection lost at request %ld\n", i + 1);
                return 1;
            }
            if (memcmp(back, f, n) != 0) {
                if (i < warmup) warmup_errors++;
                else errors++;
            }
            if (i >= warmup) rtt[i - warmup] = t1 - t0;
        }
        if (!sync_point(sync, "done")) return 1;
        close(fd);
    } else {
        static fe_client client; /* 4.2 KB: static storage, as clients/c/README.md advises */
        int rc = fe_open(&client, socket_path, timeout_ms);
        if (rc != FE_OK) {
            fprintf(stderr, "fe_ipc_bench: fe_open %s: %s (errno %d)\n", socket_path, fe_strerror(rc), client.last_errno);
            fe_close(&client);
            return 1;
        }
        for (i = 0; i < total; i++) {
            fe_score_response resp;
            fe_error err;
            int64_t t0, t1;
            if (i == warmup && !sync_point(sync, "warm")) return 1;
            t0 = now_ns();
            rc = fe_score(&client, &reqs[i], &resp, &err);
            t1 = now_ns();
            if (i >= warmup) {
                rtt[i - warmup] = t1 - t0;
                if (rc == FE_OK) core[i - warmup] = resp.elapsed_us;
            }
            if (rc != FE_OK) {
                long seen = i < warmup ? warmup_errors++ : errors++;
                if (seen < 5) {
                    if (rc == FE_ERR_SERVER)
                        fprintf(stderr, "fe_ipc_bench: request %ld refused: %s (%u) field=%s detail=%llu\n", i + 1,
                                fe_server_error_name(err.code), (unsigned)err.code, err.field, (unsigned long long)err.detail);
                    else
                        fprintf(stderr, "fe_ipc_bench: request %ld failed: %s\n", i + 1, fe_strerror(rc));
                }
            }
        }
        if (!sync_point(sync, "done")) return 1;
        fe_close(&client);
    }

    if (out_path) {
        FILE *out = fopen(out_path, "w");
        if (!out) {
            fprintf(stderr, "fe_ipc_bench: %s: %s\n", out_path, strerror(errno));
            return 1;
        }
        for (i = 0; i < count; i++) {
            if (echo) fprintf(out, "%lld\n", (long long)rtt[i]);
            else fprintf(out, "%lld %lu\n", (long long)rtt[i], (unsigned long)core[i]);
        }
        if (fclose(out) != 0) {
            fprintf(stderr, "fe_ipc_bench: %s: write failed\n", out_path);
            return 1;
        }
    }

    memcpy(sorted, rtt, (size_t)count * sizeof *sorted);
    qsort(sorted, (size_t)count, sizeof *sorted, cmp_i64);
    printf("fe_ipc_bench: mode=%s n=%ld warmup=%ld median_us=%.2f p99_us=%.2f errors=%ld warmup_errors=%ld payload_bytes=%llu payload_fnv1a=0x%016llx\n",
           echo ? "echo" : "score", count, warmup, (double)quantile(sorted, count, 0.5) / 1000.0,
           (double)quantile(sorted, count, 0.99) / 1000.0, errors, warmup_errors, (unsigned long long)payload_bytes,
           (unsigned long long)fnv);
    free(reqs);
    free(refs);
    free(frames);
    free(back);
    free(rtt);
    free(core);
    free(sorted);
    return 0;
}

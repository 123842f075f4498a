/*
 * fe_score - ask fraudedged for decisions on a test card, the way terminal firmware would.
 *
 *   fe_score [--socket PATH] [--amount MINOR] [--entry-mode N] [--terminal ID] [--count N]
 *            [--start-ms MS] [--event-id N] [--timeout MS] [--ping] [--status]
 *
 * Output is one key=value line per answer (stable, for scripts):
 *   event_id=1764331200000 verdict=allow risk=4 prob=0.0123 reasons=0x100 source=model elapsed_us=140 model=1.0.0 rtt_us=310
 * A request refused by the service prints `event_id=N error=InvalidEvent code=8 field=bin detail=115`.
 * Exit status: 0 all answered, 1 a request was refused or failed, 2 usage.
 */
#define _POSIX_C_SOURCE 200809L

#include "fraudedge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Demo tokenisation key. A real terminal holds the acquirer's key in its secure storage. */
static const char DEMO_KEY_HEX[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/* Visa's published test card. The PAN is tokenised and then forgotten: it is never sent or printed. */
static const char TEST_PAN[] = "4111111111111111";

static int usage(void)
{
    fprintf(stderr, "usage: fe_score [--socket PATH] [--amount MINOR] [--entry-mode 0-7] [--terminal ID]\n"
                    "                [--count N] [--start-ms MS] [--event-id N] [--timeout MS] [--ping] [--status]\n");
    return 2;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || *s < '0' || *s > '9') return 0;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return 0;
    *out = v;
    return 1;
}

static int hex_decode(const char *hex, uint8_t *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) return 0;
        out[i] = (uint8_t)b;
    }
    return 1;
}

static int64_t wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Prints a service string as one key=value token: "-" when empty, unprintable bytes as '?'. */
static void print_token(const char *key, const char *s)
{
    printf("%s=", key);
    if (!*s) putchar('-');
    for (; *s; s++) putchar(*s > 0x20 && *s < 0x7f ? *s : '?');
}

static const char *verdict_name(unsigned v)
{
    return v == FE_VERDICT_ALLOW ? "allow" : v == FE_VERDICT_REVIEW ? "review" : v == FE_VERDICT_DENY ? "deny" : "unknown";
}

static const char *source_name(unsigned s)
{
    switch (s) {
    case FE_SOURCE_MODEL: return "model";
    case FE_SOURCE_RULES_NO_MODEL: return "rules-no-model";
    case FE_SOURCE_RULES_DEADLINE: return "rules-deadline";
    case FE_SOURCE_RULES_MODEL_ERROR: return "rules-model-error";
    default: return "unknown";
    }
}

static int fail(const fe_client *c, const char *what, int rc)
{
    if (rc == FE_ERR_IO) fprintf(stderr, "fe_score: %s: %s (%s)\n", what, fe_strerror(rc), strerror(c->last_errno));
    else fprintf(stderr, "fe_score: %s: %s\n", what, fe_strerror(rc));
    return 1;
}

static void print_server_error(uint64_t event_id, const fe_error *e)
{
    printf("event_id=%" PRIu64 " error=%s code=%u ", event_id, fe_server_error_name(e->code), (unsigned)e->code);
    print_token("field", e->field);
    printf(" detail=%" PRIu64 "\n", e->detail);
    fprintf(stderr, "fe_score: event %" PRIu64 " refused: %s\n", event_id, e->message);
}

/* A failed ping/status: the service's Error frame, or the client's error. Returns 1. */
static int report(const fe_client *c, const char *what, int rc, const fe_error *e)
{
    if (rc != FE_ERR_SERVER) return fail(c, what, rc);
    fprintf(stderr, "fe_score: %s refused: %s (%u %s)\n", what, e->message, (unsigned)e->code,
            fe_server_error_name(e->code));
    return 1;
}

static void print_status(const fe_status_response *s)
{
    const struct { const char *key; uint64_t value; } counters[] = {
        { "decisions", s->decisions }, { "allowed", s->allowed }, { "reviewed", s->reviewed },
        { "denied", s->denied }, { "rejected", s->rejected }, { "fallbacks", s->fallbacks },
        { "deadline_misses", s->deadline_misses }, { "outcomes", s->outcomes },
        { "connections_active", s->connections_active }, { "connections_total", s->connections_total },
        { "connections_refused", s->connections_refused }, { "protocol_errors", s->protocol_errors },
        { "rss_bytes", s->rss_bytes }, { "peak_rss_bytes", s->peak_rss_bytes },
        { "managed_heap_bytes", s->managed_heap_bytes }, { "uptime_ms", s->uptime_ms },
        { "latency_p50_us", s->latency_p50_us }, { "latency_p99_us", s->latency_p99_us },
        { "allocated_bytes", s->allocated_bytes }, { "memory_budget_bytes", s->memory_budget_bytes },
        { "gc_heap_limit_bytes", s->gc_heap_limit_bytes }, { "shedding", s->shedding ? 1u : 0u },
        { "audit_last_record", s->audit_last_record },
    };
    size_t i;
    print_token("service_version", s->service_version); putchar('\n');
    printf("protocol_version=%" PRIu32 "\n", s->protocol_version);
    print_token("profile", s->profile); putchar('\n');
    print_token("model_name", s->model_name); putchar('\n');
    print_token("model_version", s->model_version); putchar('\n');
    print_token("model_sha256", s->model_sha256); putchar('\n');
    print_token("tokenizer", s->tokenizer); putchar('\n');
    for (i = 0; i < sizeof counters / sizeof counters[0]; i++) printf("%s=%" PRIu64 "\n", counters[i].key, counters[i].value);
    if (s->has_model_refusal) printf("model_refusal=%" PRIu32 "\n", s->model_refusal);
    print_token("audit_head_sha256", s->audit_head_sha256); putchar('\n');
}

/* The cardholder verification and cryptogram a terminal would report for each entry mode. */
static void set_entry(fe_score_request *r, uint8_t entry_mode, uint16_t atc)
{
    r->entry_mode = entry_mode;
    switch (entry_mode) {
    case FE_ENTRY_CHIP: r->cvm = FE_CVM_OFFLINE_PIN; break;
    case FE_ENTRY_CONTACTLESS_CHIP: r->cvm = FE_CVM_CDCVM; break;
    case FE_ENTRY_SWIPE: case FE_ENTRY_CHIP_FALLBACK_SWIPE: case FE_ENTRY_KEY_ENTERED: r->cvm = FE_CVM_SIGNATURE; break;
    default: r->cvm = FE_CVM_NONE; break;
    }
    if (entry_mode == FE_ENTRY_CHIP || entry_mode == FE_ENTRY_CONTACTLESS_CHIP) {
        r->cryptogram = FE_CRYPTOGRAM_ARQC; /* only chip entries carry a cryptogram and an ATC */
        r->has_atc = true;
        r->atc = atc;
    }
}

int main(int argc, char **argv)
{
    const char *socket_path = FE_DEFAULT_SOCKET, *terminal = "T0001";
    uint64_t amount = 1234, entry_mode = FE_ENTRY_CONTACTLESS_CHIP, count = 1, timeout_ms = FE_DEFAULT_TIMEOUT_MS;
    uint64_t start_ms = 0, first_event_id = 0;
    int do_ping = 0, do_status = 0, failures = 0, i, rc;
    uint8_t key[32], token[16];
    fe_client client;
    fe_error err;
    uint64_t n;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--ping")) { do_ping = 1; continue; }
        if (!strcmp(a, "--status")) { do_status = 1; continue; }
        if (!v) return usage();
        i++;
        if (!strcmp(a, "--socket")) socket_path = v;
        else if (!strcmp(a, "--terminal")) terminal = v;
        else if (!strcmp(a, "--amount")) { if (!parse_u64(v, 999999999999u, &amount)) return usage(); }
        else if (!strcmp(a, "--entry-mode")) { if (!parse_u64(v, 7, &entry_mode)) return usage(); }
        else if (!strcmp(a, "--count")) { if (!parse_u64(v, 100000000u, &count) || !count) return usage(); }
        else if (!strcmp(a, "--start-ms")) { if (!parse_u64(v, INT64_MAX, &start_ms)) return usage(); }
        else if (!strcmp(a, "--event-id")) { if (!parse_u64(v, UINT64_MAX, &first_event_id)) return usage(); }
        else if (!strcmp(a, "--timeout")) { if (!parse_u64(v, 3600000u, &timeout_ms)) return usage(); }
        else return usage();
    }
    for (i = 0; terminal[i]; i++)
        if (terminal[i] < 0x21 || terminal[i] > 0x7e) return usage(); /* printable ASCII, no spaces */
    if (i < 1 || i > 16) return usage();

    rc = fe_open(&client, socket_path, (int)timeout_ms);
    if (rc != FE_OK) {
        fail(&client, socket_path, rc);
        fe_close(&client);
        return 1;
    }

    if (do_ping) {
        fe_pong pong;
        int64_t t0 = monotonic_us();
        rc = fe_ping(&client, &pong, &err);
        if (rc != FE_OK) failures += report(&client, "ping", rc, &err);
        else printf("protocol_version=%" PRIu32 " uptime_ms=%" PRIu64 " rtt_us=%" PRId64 "\n",
                    pong.protocol_version, pong.uptime_ms, monotonic_us() - t0);
    }
    if (do_status) {
        fe_status_response st;
        rc = fe_status(&client, &st, &err);
        if (rc != FE_OK) failures += report(&client, "status", rc, &err);
        else print_status(&st);
    }

    if (!do_ping && !do_status) {
        fe_score_request req;
        fe_score_response resp;

        /* Tokenise the card once; the PAN's BIN and last four are the only card data that leave here. */
        if (!hex_decode(DEMO_KEY_HEX, key, sizeof key) || fe_card_token(key, sizeof key, TEST_PAN, token) != FE_OK) {
            fprintf(stderr, "fe_score: cannot tokenise the test card\n");
            fe_close(&client);
            return 1;
        }
        memset(key, 0, sizeof key);

        if (start_ms == 0) start_ms = (uint64_t)wall_clock_ms();
        if (first_event_id == 0) first_event_id = start_ms;

        for (n = 0; n < count; n++) {
            int64_t t0;
            fe_score_request_init(&req);
            req.event_id = first_event_id + n;
            strcpy(req.terminal_id, terminal);
            strcpy(req.merchant_id, "M42");
            req.timestamp_ms = (int64_t)(start_ms + n * 1000u); /* one transaction per second */
            req.kind = FE_KIND_PURCHASE;
            req.amount_minor = (int64_t)amount;
            req.currency = 978;          /* EUR */
            req.mcc = 5411;              /* grocery */
            req.terminal_country = 276;  /* Germany */
            memcpy(req.card_token, token, sizeof token);
            req.bin = 411111;
            req.last_four = 1111;
            req.scheme = FE_SCHEME_VISA;
            req.card_type = FE_CARD_DEBIT;
            req.service_code = 201;
            set_entry(&req, (uint8_t)entry_mode, (uint16_t)(1 + n % 65535));

            t0 = monotonic_us();
            rc = fe_score(&client, &req, &resp, &err);
            if (rc == FE_ERR_SERVER) {
                print_server_error(req.event_id, &err);
                failures++;
                continue; /* the connection stays usable (or reconnects by itself) */
            }
            if (rc != FE_OK) {
                failures += fail(&client, "score", rc);
                break;
            }
            printf("event_id=%" PRIu64 " verdict=%s risk=%u ", resp.event_id, verdict_name(resp.verdict),
                   (unsigned)resp.risk_score);
            if (resp.probability == resp.probability) printf("prob=%.4f ", (double)resp.probability);
            else printf("prob=nan ");
            printf("reasons=0x%" PRIx64 " source=%s elapsed_us=%" PRIu32 " ", resp.reasons, source_name(resp.source),
                   resp.elapsed_us);
            print_token("model", resp.model_version);
            printf(" rtt_us=%" PRId64 "\n", monotonic_us() - t0);
        }
    }

    fe_close(&client);
    fflush(stdout);
    return failures ? 1 : 0;
}

/*
 * fraudedge.c - C99 client of fraudedged (docs/protocol.md, IPC protocol v1).
 * libc + POSIX only; no allocation; no global state.
 */
#define _POSIX_C_SOURCE 200809L

#include "fraudedge.h"
#include "fe_sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* BSDs/macOS: SO_NOSIGPIPE is set on the socket instead */
#endif

/* ================================================================================================ */
/* Names                                                                                            */
/* ================================================================================================ */

const char *fe_strerror(int rc)
{
    switch (rc) {
    case FE_OK: return "success";
    case FE_ERR_ARG: return "invalid argument (or client not open)";
    case FE_ERR_NOSPACE: return "output buffer too small";
    case FE_ERR_TOO_LARGE: return "frame larger than the maximum frame size";
    case FE_ERR_TIMEOUT: return "timed out waiting for fraudedged";
    case FE_ERR_IO: return "socket I/O error";
    case FE_ERR_CLOSED: return "connection closed by fraudedged";
    case FE_ERR_PROTOCOL: return "protocol error: unexpected frame or payload from fraudedged";
    case FE_ERR_SERVER: return "fraudedged answered with an Error frame";
    case FE_ERR_TRUNCATED: return "payload truncated";
    case FE_ERR_MALFORMED: return "malformed MessagePack payload";
    case FE_ERR_WRONG_TYPE: return "a field has the wrong type or is out of range";
    case FE_ERR_MISSING_FIELD: return "a required field is missing";
    case FE_ERR_LIMIT: return "payload exceeds a size or nesting limit";
    case FE_ERR_PAN: return "PAN must be 12 to 19 digits (spaces allowed)";
    default: return "unknown error";
    }
}

const char *fe_server_error_name(unsigned code)
{
    switch (code) {
    case FE_SERR_FRAME_TOO_LARGE: return "FrameTooLarge";
    case FE_SERR_UNSUPPORTED_VERSION: return "UnsupportedVersion";
    case FE_SERR_UNKNOWN_MESSAGE_TYPE: return "UnknownMessageType";
    case FE_SERR_MALFORMED_PAYLOAD: return "MalformedPayload";
    case FE_SERR_WRONG_TYPE: return "WrongType";
    case FE_SERR_MISSING_FIELD: return "MissingField";
    case FE_SERR_LIMIT_EXCEEDED: return "LimitExceeded";
    case FE_SERR_INVALID_EVENT: return "InvalidEvent";
    case FE_SERR_READ_TIMEOUT: return "ReadTimeout";
    case FE_SERR_SERVER_BUSY: return "ServerBusy";
    case FE_SERR_SHUTTING_DOWN: return "ShuttingDown";
    case FE_SERR_INTERNAL_ERROR: return "InternalError";
    case FE_SERR_UNEXPECTED_MESSAGE: return "UnexpectedMessage";
    case FE_SERR_FRAME_TOO_SHORT: return "FrameTooShort";
    case FE_SERR_PEER_NOT_ALLOWED: return "PeerNotAllowed";
    case FE_SERR_OVER_MEMORY_BUDGET: return "OverMemoryBudget";
    default: return "Unknown";
    }
}

/* Error codes after which the service closes the connection (§5 "closed"). */
static int server_error_closes(unsigned code)
{
    switch (code) {
    case FE_SERR_FRAME_TOO_LARGE: case FE_SERR_UNSUPPORTED_VERSION: case FE_SERR_READ_TIMEOUT:
    case FE_SERR_SERVER_BUSY: case FE_SERR_SHUTTING_DOWN: case FE_SERR_FRAME_TOO_SHORT:
    case FE_SERR_PEER_NOT_ALLOWED:
        return 1;
    default:
        return 0;
    }
}

/* ================================================================================================ */
/* MessagePack writer (smallest encodings)                                                          */
/* ================================================================================================ */

typedef struct wbuf {
    uint8_t *p;
    size_t cap;
    size_t len;
    int err;
    unsigned entries; /* map entries written, checked against the declared count */
} wbuf;

static void w_bytes(wbuf *w, const void *src, size_t n)
{
    if (w->err) return;
    if (n > w->cap - w->len) {
        w->err = FE_ERR_NOSPACE;
        return;
    }
    if (n) memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void w_u8(wbuf *w, unsigned b)
{
    uint8_t x = (uint8_t)b;
    w_bytes(w, &x, 1);
}

/* The low nbytes of v, big-endian. */
static void w_be(wbuf *w, uint64_t v, int nbytes)
{
    uint8_t t[8];
    int i;
    for (i = 0; i < nbytes; i++) t[i] = (uint8_t)(v >> (8 * (nbytes - 1 - i)));
    w_bytes(w, t, (size_t)nbytes);
}

static void mp_uint(wbuf *w, uint64_t v)
{
    if (v <= 0x7f) {
        w_u8(w, (unsigned)v);
    } else if (v <= 0xff) {
        w_u8(w, 0xcc); w_be(w, v, 1);
    } else if (v <= 0xffff) {
        w_u8(w, 0xcd); w_be(w, v, 2);
    } else if (v <= 0xffffffffu) {
        w_u8(w, 0xce); w_be(w, v, 4);
    } else {
        w_u8(w, 0xcf); w_be(w, v, 8);
    }
}

static void mp_int(wbuf *w, int64_t v)
{
    if (v >= 0) {
        mp_uint(w, (uint64_t)v);
    } else if (v >= -32) {
        w_u8(w, (unsigned)(0x100 + v)); /* negative fixint 0xe0..0xff */
    } else if (v >= INT8_MIN) {
        w_u8(w, 0xd0); w_be(w, (uint64_t)v, 1);
    } else if (v >= INT16_MIN) {
        w_u8(w, 0xd1); w_be(w, (uint64_t)v, 2);
    } else if (v >= INT32_MIN) {
        w_u8(w, 0xd2); w_be(w, (uint64_t)v, 4);
    } else {
        w_u8(w, 0xd3); w_be(w, (uint64_t)v, 8);
    }
}

static void mp_str(wbuf *w, const char *s, size_t n)
{
    if (n <= 31) {
        w_u8(w, 0xa0u | (unsigned)n);
    } else if (n <= 0xff) {
        w_u8(w, 0xd9); w_be(w, n, 1);
    } else if (n <= 0xffff) {
        w_u8(w, 0xda); w_be(w, n, 2);
    } else {
        w_u8(w, 0xdb); w_be(w, n, 4);
    }
    w_bytes(w, s, n);
}

static void mp_bin(wbuf *w, const uint8_t *b, size_t n)
{
    if (n <= 0xff) {
        w_u8(w, 0xc4); w_be(w, n, 1);
    } else if (n <= 0xffff) {
        w_u8(w, 0xc5); w_be(w, n, 2);
    } else {
        w_u8(w, 0xc6); w_be(w, n, 4);
    }
    w_bytes(w, b, n);
}

static void mp_map(wbuf *w, unsigned n)
{
    if (n <= 15) {
        w_u8(w, 0x80u | n);
    } else if (n <= 0xffff) {
        w_u8(w, 0xde); w_be(w, n, 2);
    } else {
        w_u8(w, 0xdf); w_be(w, n, 4);
    }
}

static void kv_uint(wbuf *w, unsigned key, uint64_t v) { mp_uint(w, key); mp_uint(w, v); w->entries++; }
static void kv_int(wbuf *w, unsigned key, int64_t v) { mp_uint(w, key); mp_int(w, v); w->entries++; }
static void kv_str(wbuf *w, unsigned key, const char *s, size_t n) { mp_uint(w, key); mp_str(w, s, n); w->entries++; }
static void kv_bin(wbuf *w, unsigned key, const uint8_t *b, size_t n) { mp_uint(w, key); mp_bin(w, b, n); w->entries++; }
static void kv_bool(wbuf *w, unsigned key, bool b) { mp_uint(w, key); w_u8(w, b ? 0xc3 : 0xc2); w->entries++; }

/* Starts a frame: length placeholder + version + type + request id. */
static void frame_begin(wbuf *w, uint8_t *buf, size_t cap, uint8_t type, uint32_t request_id)
{
    w->p = buf;
    w->cap = cap;
    w->len = 0;
    w->err = 0;
    w->entries = 0;
    w_be(w, 0, 4);
    w_u8(w, FE_PROTOCOL_VERSION);
    w_u8(w, type);
    w_be(w, request_id, 4);
}

/* Patches the length; returns the frame size or an error. */
static int frame_end(wbuf *w, unsigned declared_entries)
{
    size_t length;
    if (w->err) return w->err;
    if (w->entries != declared_entries) return FE_ERR_ARG; /* cannot happen: count and writes disagree */
    length = w->len - 4;
    if (length > FE_MAX_FRAME_BYTES) return FE_ERR_TOO_LARGE;
    w->p[0] = (uint8_t)(length >> 24);
    w->p[1] = (uint8_t)(length >> 16);
    w->p[2] = (uint8_t)(length >> 8);
    w->p[3] = (uint8_t)length;
    return (int)w->len;
}

/* Length of a 1-16 printable-ASCII id held in char[17], or -1. */
static int id_len(const char id[17])
{
    int n;
    for (n = 0; n < 17; n++) {
        unsigned char ch = (unsigned char)id[n];
        if (ch == 0) break;
        if (ch < 0x21 || ch > 0x7e) return -1;
    }
    return (n >= 1 && n <= 16) ? n : -1;
}

static int all_zero(const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* ================================================================================================ */
/* Encoders                                                                                         */
/* ================================================================================================ */

void fe_score_request_init(fe_score_request *req)
{
    if (!req) return;
    memset(req, 0, sizeof *req);
    req->attended = true;
}

int fe_encode_score_request(uint8_t *buf, size_t cap, uint32_t request_id, const fe_score_request *r)
{
    wbuf w;
    unsigned n;
    int tid, mid;
    bool tvr_set;

    if (!buf || !r) return FE_ERR_ARG;
    tid = id_len(r->terminal_id);
    mid = id_len(r->merchant_id);
    if (tid < 0 || mid < 0) return FE_ERR_ARG;
    tvr_set = !all_zero(r->tvr, sizeof r->tvr);

    /* 14 required keys, plus each optional key that differs from its default (as in §8.2). */
    n = 14u + (r->lane != 0) + (r->operator_id != 0) + (r->local_offset_min != 0) + (r->cashback_minor != 0) +
        (r->scheme != 0) + (r->card_type != 0) + (r->issuer_country != 0) + (r->expiry_yymm != 0) +
        (r->service_code != 0) + (r->has_atc != 0) + tvr_set + (r->cryptogram != 0) + (!r->attended);

    frame_begin(&w, buf, cap, FE_MSG_SCORE_REQUEST, request_id);
    mp_map(&w, n);
    kv_uint(&w, 1, r->event_id);
    kv_str(&w, 2, r->terminal_id, (size_t)tid);
    kv_str(&w, 3, r->merchant_id, (size_t)mid);
    if (r->lane) kv_uint(&w, 4, r->lane);
    if (r->operator_id) kv_uint(&w, 5, r->operator_id);
    kv_int(&w, 6, r->timestamp_ms);
    if (r->local_offset_min) kv_int(&w, 7, r->local_offset_min);
    kv_uint(&w, 8, r->kind);
    kv_int(&w, 9, r->amount_minor);
    if (r->cashback_minor) kv_int(&w, 10, r->cashback_minor);
    kv_uint(&w, 11, r->currency);
    kv_uint(&w, 12, r->mcc);
    kv_uint(&w, 13, r->terminal_country);
    kv_bin(&w, 14, r->card_token, sizeof r->card_token);
    kv_uint(&w, 15, r->bin);
    kv_uint(&w, 16, r->last_four);
    if (r->scheme) kv_uint(&w, 17, r->scheme);
    if (r->card_type) kv_uint(&w, 18, r->card_type);
    if (r->issuer_country) kv_uint(&w, 19, r->issuer_country);
    if (r->expiry_yymm) kv_uint(&w, 20, r->expiry_yymm);
    if (r->service_code) kv_uint(&w, 21, r->service_code);
    kv_uint(&w, 22, r->entry_mode);
    kv_uint(&w, 23, r->cvm);
    if (r->has_atc) kv_uint(&w, 24, r->atc);
    if (tvr_set) kv_bin(&w, 25, r->tvr, sizeof r->tvr);
    if (r->cryptogram) kv_uint(&w, 26, r->cryptogram);
    if (!r->attended) kv_bool(&w, 27, false);
    return frame_end(&w, n);
}

int fe_encode_outcome_notice(uint8_t *buf, size_t cap, uint32_t request_id, const fe_outcome_notice *o)
{
    wbuf w;
    unsigned n;
    int tid;
    bool has_rc;

    if (!buf || !o) return FE_ERR_ARG;
    tid = id_len(o->terminal_id);
    if (tid < 0) return FE_ERR_ARG;
    has_rc = o->response_code[0] != 0;
    if (has_rc) {
        unsigned char a = (unsigned char)o->response_code[0], b = (unsigned char)o->response_code[1];
        if (a < 0x21 || a > 0x7e || b < 0x21 || b > 0x7e || o->response_code[2] != 0) return FE_ERR_ARG;
    }
    n = 5u + has_rc;
    frame_begin(&w, buf, cap, FE_MSG_OUTCOME_NOTICE, request_id);
    mp_map(&w, n);
    kv_uint(&w, 1, o->event_id);
    kv_str(&w, 2, o->terminal_id, (size_t)tid);
    kv_bin(&w, 3, o->card_token, sizeof o->card_token);
    kv_int(&w, 4, o->timestamp_ms);
    kv_uint(&w, 5, o->kind);
    if (has_rc) kv_str(&w, 6, o->response_code, 2);
    return frame_end(&w, n);
}

static int encode_empty(uint8_t *buf, size_t cap, uint8_t type, uint32_t request_id)
{
    wbuf w;
    if (!buf) return FE_ERR_ARG;
    frame_begin(&w, buf, cap, type, request_id);
    mp_map(&w, 0);
    return frame_end(&w, 0);
}

int fe_encode_ping(uint8_t *buf, size_t cap, uint32_t request_id)
{
    return encode_empty(buf, cap, FE_MSG_PING, request_id);
}

int fe_encode_status_request(uint8_t *buf, size_t cap, uint32_t request_id)
{
    return encode_empty(buf, cap, FE_MSG_STATUS_REQUEST, request_id);
}

/* ================================================================================================ */
/* MessagePack reader (any encoding, bounds-checked)                                                */
/* ================================================================================================ */

typedef struct rbuf {
    const uint8_t *p;
    size_t len;
    size_t pos; /* invariant: pos <= len */
} rbuf;

enum { V_NIL, V_BOOL, V_UINT, V_NINT, V_FLOAT, V_STR, V_BIN, V_EXT, V_ARRAY, V_MAP };

typedef struct value {
    int type;
    bool b;              /* V_BOOL */
    uint64_t u;          /* V_UINT: any integer encoding holding a value >= 0 */
    int64_t i;           /* V_NINT: any integer encoding holding a value < 0 */
    double f;            /* V_FLOAT: float32 or float64 */
    const uint8_t *data; /* V_STR, V_BIN, V_EXT: inside the buffer, n bytes */
    uint32_t n;          /* byte length (STR/BIN/EXT) or element count (ARRAY/MAP) */
} value;

static int r_take(rbuf *r, size_t n, const uint8_t **out)
{
    if (n > r->len - r->pos) return FE_ERR_TRUNCATED;
    *out = r->p + r->pos;
    r->pos += n;
    return FE_OK;
}

static uint64_t be_get(const uint8_t *p, int n)
{
    uint64_t v = 0;
    int i;
    for (i = 0; i < n; i++) v = (v << 8) | p[i];
    return v;
}

/* Reads an n-byte big-endian unsigned integer. */
static int r_be(rbuf *r, int n, uint64_t *out)
{
    const uint8_t *q;
    int rc = r_take(r, (size_t)n, &q);
    if (rc) return rc;
    *out = be_get(q, n);
    return FE_OK;
}

/* Sets v to the signed value x of an nbytes two's-complement integer. */
static void set_signed(value *v, uint64_t x, int nbytes)
{
    if (nbytes == 8) {
        if (x <= (uint64_t)INT64_MAX) {
            v->type = V_UINT;
            v->u = x;
        } else {
            v->type = V_NINT;
            v->i = -(int64_t)(~x) - 1; /* ~x <= INT64_MAX here: no overflow */
        }
        return;
    }
    {
        uint64_t sign = (uint64_t)1 << (8 * nbytes - 1);
        if (x < sign) {
            v->type = V_UINT;
            v->u = x;
        } else {
            v->type = V_NINT;
            v->i = (int64_t)x - (int64_t)(sign << 1);
        }
    }
}

/* Reads one value header. Scalars, strings, binaries and extensions are consumed whole; for arrays and
 * maps only the header is consumed and v->n is the element count. */
static int read_value(rbuf *r, value *v)
{
    const uint8_t *q;
    uint64_t x;
    int rc, lenbytes = 0;
    unsigned t;

    memset(v, 0, sizeof *v);
    if ((rc = r_take(r, 1, &q)) != FE_OK) return rc;
    t = q[0];

    if (t <= 0x7f) { v->type = V_UINT; v->u = t; return FE_OK; }
    if (t >= 0xe0) { v->type = V_NINT; v->i = (int64_t)t - 0x100; return FE_OK; }
    if (t <= 0x8f) { v->type = V_MAP; v->n = t & 0x0f; return FE_OK; }
    if (t <= 0x9f) { v->type = V_ARRAY; v->n = t & 0x0f; return FE_OK; }
    if (t <= 0xbf) {
        v->type = V_STR;
        v->n = t & 0x1f;
        return r_take(r, v->n, &v->data);
    }

    switch (t) {
    case 0xc0: v->type = V_NIL; return FE_OK;
    case 0xc1: return FE_ERR_MALFORMED; /* never used */
    case 0xc2: v->type = V_BOOL; v->b = false; return FE_OK;
    case 0xc3: v->type = V_BOOL; v->b = true; return FE_OK;

    case 0xc4: case 0xc5: case 0xc6: /* bin 8/16/32 */
        lenbytes = t == 0xc4 ? 1 : t == 0xc5 ? 2 : 4;
        if ((rc = r_be(r, lenbytes, &x)) != FE_OK) return rc;
        v->type = V_BIN;
        v->n = (uint32_t)x;
        return r_take(r, v->n, &v->data);

    case 0xc7: case 0xc8: case 0xc9: /* ext 8/16/32: length, type byte, data */
        lenbytes = t == 0xc7 ? 1 : t == 0xc8 ? 2 : 4;
        if ((rc = r_be(r, lenbytes, &x)) != FE_OK) return rc;
        if ((rc = r_take(r, 1, &q)) != FE_OK) return rc;
        v->type = V_EXT;
        v->n = (uint32_t)x;
        return r_take(r, v->n, &v->data);

    case 0xca: { /* float32 */
        float f;
        uint32_t bits;
        if ((rc = r_be(r, 4, &x)) != FE_OK) return rc;
        bits = (uint32_t)x;
        memcpy(&f, &bits, sizeof f);
        v->type = V_FLOAT;
        v->f = (double)f;
        return FE_OK;
    }
    case 0xcb: { /* float64 */
        double d;
        if ((rc = r_be(r, 8, &x)) != FE_OK) return rc;
        memcpy(&d, &x, sizeof d);
        v->type = V_FLOAT;
        v->f = d;
        return FE_OK;
    }

    case 0xcc: case 0xcd: case 0xce: case 0xcf: /* uint 8/16/32/64 */
        lenbytes = 1 << (t - 0xcc);
        if ((rc = r_be(r, lenbytes, &x)) != FE_OK) return rc;
        v->type = V_UINT;
        v->u = x;
        return FE_OK;

    case 0xd0: case 0xd1: case 0xd2: case 0xd3: /* int 8/16/32/64 */
        lenbytes = 1 << (t - 0xd0);
        if ((rc = r_be(r, lenbytes, &x)) != FE_OK) return rc;
        set_signed(v, x, lenbytes);
        return FE_OK;

    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: /* fixext 1/2/4/8/16 */
        if ((rc = r_take(r, 1, &q)) != FE_OK) return rc;
        v->type = V_EXT;
        v->n = 1u << (t - 0xd4);
        return r_take(r, v->n, &v->data);

    case 0xd9: case 0xda: case 0xdb: /* str 8/16/32 */
        lenbytes = 1 << (t - 0xd9);
        if ((rc = r_be(r, lenbytes, &x)) != FE_OK) return rc;
        v->type = V_STR;
        v->n = (uint32_t)x;
        return r_take(r, v->n, &v->data);

    case 0xdc: case 0xdd: /* array 16/32 */
        if ((rc = r_be(r, t == 0xdc ? 2 : 4, &x)) != FE_OK) return rc;
        v->type = V_ARRAY;
        v->n = (uint32_t)x;
        return FE_OK;

    case 0xde: case 0xdf: /* map 16/32 */
        if ((rc = r_be(r, t == 0xde ? 2 : 4, &x)) != FE_OK) return rc;
        v->type = V_MAP;
        v->n = (uint32_t)x;
        return FE_OK;

    default:
        return FE_ERR_MALFORMED; /* unreachable: every byte value is handled above */
    }
}

/* Skips the elements of an array or map whose header v was just read; depth is v's nesting depth
 * (1 for the value of a top-level key). Scalars need nothing. Every element consumes at least one
 * byte, so the work is bounded by the payload length. */
static int skip_value(rbuf *r, const value *v, int depth)
{
    uint32_t i, count;
    int rc;

    if (v->type != V_ARRAY && v->type != V_MAP) return FE_OK;
    if (depth > FE_MAX_DEPTH) return FE_ERR_LIMIT;
    if (v->type == V_MAP) {
        if (v->n > FE_MAX_MAP_ENTRIES) return FE_ERR_LIMIT;
        count = v->n * 2u;
    } else {
        if (v->n > FE_MAX_ARRAY_LENGTH) return FE_ERR_LIMIT;
        count = v->n;
    }
    for (i = 0; i < count; i++) {
        value c;
        if ((rc = read_value(r, &c)) != FE_OK) return rc;
        if ((rc = skip_value(r, &c, depth + 1)) != FE_OK) return rc;
    }
    return FE_OK;
}

/* Field callback: FE_OK when the key was decoded, 1 when the key is unknown (the value is skipped),
 * or a negative error. */
typedef int (*field_fn)(void *ctx, unsigned key, const value *v);

/* Decodes a payload that must be exactly one map with integer keys. Keys 0..63 are tracked for
 * duplicates; *present gets the bit of every key that was decoded (nil counts as absent). */
static int decode_map(const uint8_t *payload, size_t len, field_fn fn, void *ctx, uint64_t *present)
{
    rbuf r;
    value v, k;
    uint64_t seen = 0, got = 0;
    uint32_t i, n;
    int rc;

    *present = 0;
    if (!payload) return len ? FE_ERR_ARG : FE_ERR_TRUNCATED;
    r.p = payload;
    r.len = len;
    r.pos = 0;

    if ((rc = read_value(&r, &v)) != FE_OK) return rc;
    if (v.type != V_MAP) return FE_ERR_MALFORMED;
    if (v.n > FE_MAX_MAP_ENTRIES) return FE_ERR_LIMIT;
    n = v.n;

    for (i = 0; i < n; i++) {
        if ((rc = read_value(&r, &k)) != FE_OK) return rc;
        if (k.type != V_UINT && k.type != V_NINT) return FE_ERR_MALFORMED; /* keys are integers */
        if ((rc = read_value(&r, &v)) != FE_OK) return rc;
        if (k.type == V_UINT && k.u < 64) {
            uint64_t bit = (uint64_t)1 << k.u;
            if (seen & bit) return FE_ERR_MALFORMED; /* a key twice */
            seen |= bit;
            if (v.type == V_NIL) continue; /* nil = absent */
            rc = fn(ctx, (unsigned)k.u, &v);
            if (rc < 0) return rc;
            if (rc == FE_OK) {
                got |= bit;
                continue;
            }
        }
        if ((rc = skip_value(&r, &v, 1)) != FE_OK) return rc; /* unknown key: skip its value */
    }
    if (r.pos != r.len) return FE_ERR_MALFORMED; /* bytes left over */
    *present = got;
    return FE_OK;
}

#define BIT(k) ((uint64_t)1 << (k))

static int as_uint(const value *v, uint64_t max, uint64_t *out)
{
    if (v->type != V_UINT || v->u > max) return FE_ERR_WRONG_TYPE;
    *out = v->u;
    return FE_OK;
}

static int as_bool(const value *v, bool *out)
{
    if (v->type != V_BOOL) return FE_ERR_WRONG_TYPE;
    *out = v->b;
    return FE_OK;
}

static int as_u8(const value *v, uint8_t *out)
{
    uint64_t x;
    int rc = as_uint(v, UINT8_MAX, &x);
    if (rc == FE_OK) *out = (uint8_t)x;
    return rc;
}

static int as_u16(const value *v, uint16_t *out)
{
    uint64_t x;
    int rc = as_uint(v, UINT16_MAX, &x);
    if (rc == FE_OK) *out = (uint16_t)x;
    return rc;
}

static int as_u32(const value *v, uint32_t *out)
{
    uint64_t x;
    int rc = as_uint(v, UINT32_MAX, &x);
    if (rc == FE_OK) *out = (uint32_t)x;
    return rc;
}

static int as_float(const value *v, float *out)
{
    double d;
    if (v->type != V_FLOAT) return FE_ERR_WRONG_TYPE;
    d = v->f;
    if (isnan(d)) {
        *out = NAN;
    } else if (!isinf(d) && (d > FLT_MAX || d < -FLT_MAX)) {
        return FE_ERR_WRONG_TYPE; /* not representable as float: would be undefined behaviour */
    } else {
        *out = (float)d;
    }
    return FE_OK;
}

/* Copies a string, truncated to cap - 1 bytes, always NUL-terminated. */
static int as_str(const value *v, char *dst, size_t cap)
{
    size_t n;
    if (v->type != V_STR) return FE_ERR_WRONG_TYPE;
    n = v->n < cap - 1 ? v->n : cap - 1;
    if (n) memcpy(dst, v->data, n);
    dst[n] = 0;
    return FE_OK;
}

static int require(uint64_t present, uint64_t required)
{
    return (present & required) == required ? FE_OK : FE_ERR_MISSING_FIELD;
}

/* ================================================================================================ */
/* Decoders                                                                                         */
/* ================================================================================================ */

int fe_decode_frame_header(const uint8_t *buf, size_t len, fe_frame_header *h)
{
    if (!buf || !h) return FE_ERR_ARG;
    memset(h, 0, sizeof *h);
    if (len < FE_FRAME_HEADER_BYTES) return FE_ERR_TRUNCATED;
    h->length = (uint32_t)be_get(buf, 4);
    h->version = buf[4];
    h->type = buf[5];
    h->request_id = (uint32_t)be_get(buf + 6, 4);
    h->payload_len = h->length >= 6 ? h->length - 6 : 0;
    if (h->length < 6) return FE_ERR_PROTOCOL;
    if (h->length > FE_MAX_FRAME_BYTES) return FE_ERR_TOO_LARGE;
    if (h->version != FE_PROTOCOL_VERSION) return FE_ERR_PROTOCOL;
    return FE_OK;
}

static int score_field(void *ctx, unsigned key, const value *v)
{
    fe_score_response *o = (fe_score_response *)ctx;
    switch (key) {
    case 1: return as_uint(v, UINT64_MAX, &o->event_id);
    case 2: return as_u8(v, &o->verdict);
    case 3: return as_u8(v, &o->risk_score);
    case 4: return as_float(v, &o->probability);
    case 5: return as_uint(v, UINT64_MAX, &o->reasons);
    case 6: return as_u8(v, &o->source);
    case 7: return as_u32(v, &o->elapsed_us);
    case 8: return as_str(v, o->model_version, sizeof o->model_version);
    default: return 1;
    }
}

int fe_decode_score_response(const uint8_t *payload, size_t len, fe_score_response *out)
{
    uint64_t present;
    int rc;
    if (!out) return FE_ERR_ARG;
    memset(out, 0, sizeof *out);
    out->probability = NAN;
    rc = decode_map(payload, len, score_field, out, &present);
    if (rc) return rc;
    return require(present, BIT(1) | BIT(2) | BIT(3));
}

static int error_field(void *ctx, unsigned key, const value *v)
{
    fe_error *o = (fe_error *)ctx;
    int rc;
    switch (key) {
    case 1: return as_u16(v, &o->code);
    case 2: return as_str(v, o->message, sizeof o->message);
    case 3: return as_str(v, o->field, sizeof o->field);
    case 4:
        rc = as_uint(v, UINT64_MAX, &o->detail);
        if (rc == FE_OK) o->has_detail = true;
        return rc;
    default: return 1;
    }
}

int fe_decode_error(const uint8_t *payload, size_t len, fe_error *out)
{
    uint64_t present;
    int rc;
    if (!out) return FE_ERR_ARG;
    memset(out, 0, sizeof *out);
    rc = decode_map(payload, len, error_field, out, &present);
    if (rc) return rc;
    return require(present, BIT(1));
}

static int pong_field(void *ctx, unsigned key, const value *v)
{
    fe_pong *o = (fe_pong *)ctx;
    switch (key) {
    case 1: return as_u32(v, &o->protocol_version);
    case 2: return as_uint(v, UINT64_MAX, &o->uptime_ms);
    default: return 1;
    }
}

int fe_decode_pong(const uint8_t *payload, size_t len, fe_pong *out)
{
    uint64_t present;
    int rc;
    if (!out) return FE_ERR_ARG;
    memset(out, 0, sizeof *out);
    rc = decode_map(payload, len, pong_field, out, &present);
    if (rc) return rc;
    return require(present, BIT(1) | BIT(2));
}

static int ack_field(void *ctx, unsigned key, const value *v)
{
    fe_ack *o = (fe_ack *)ctx;
    return key == 1 ? as_uint(v, UINT64_MAX, &o->event_id) : 1;
}

int fe_decode_ack(const uint8_t *payload, size_t len, fe_ack *out)
{
    uint64_t present;
    int rc;
    if (!out) return FE_ERR_ARG;
    memset(out, 0, sizeof *out);
    rc = decode_map(payload, len, ack_field, out, &present);
    if (rc) return rc;
    return require(present, BIT(1));
}

static int status_field(void *ctx, unsigned key, const value *v)
{
    fe_status_response *o = (fe_status_response *)ctx;
    uint64_t *counters[18];
    counters[0] = &o->decisions;           counters[1] = &o->allowed;
    counters[2] = &o->reviewed;            counters[3] = &o->denied;
    counters[4] = &o->rejected;            counters[5] = &o->fallbacks;
    counters[6] = &o->deadline_misses;     counters[7] = &o->outcomes;
    counters[8] = &o->connections_active;  counters[9] = &o->connections_total;
    counters[10] = &o->connections_refused; counters[11] = &o->protocol_errors;
    counters[12] = &o->rss_bytes;          counters[13] = &o->peak_rss_bytes;
    counters[14] = &o->managed_heap_bytes; counters[15] = &o->uptime_ms;
    counters[16] = &o->latency_p50_us;     counters[17] = &o->latency_p99_us;

    switch (key) {
    case 1: return as_str(v, o->service_version, sizeof o->service_version);
    case 2: return as_u32(v, &o->protocol_version);
    case 3: return as_str(v, o->profile, sizeof o->profile);
    case 4: return as_str(v, o->model_name, sizeof o->model_name);
    case 5: return as_str(v, o->model_version, sizeof o->model_version);
    case 6: return as_str(v, o->model_sha256, sizeof o->model_sha256);
    case 7: return as_str(v, o->tokenizer, sizeof o->tokenizer);
    case 26: return as_u32(v, &o->model_refusal);
    case 27: return as_uint(v, UINT64_MAX, &o->allocated_bytes);
    case 28: return as_uint(v, UINT64_MAX, &o->memory_budget_bytes);
    case 29: return as_uint(v, UINT64_MAX, &o->gc_heap_limit_bytes);
    case 30: return as_bool(v, &o->shedding);
    case 31: return as_uint(v, UINT64_MAX, &o->audit_last_record);
    case 32: return as_str(v, o->audit_head_sha256, sizeof o->audit_head_sha256);
    default:
        if (key >= 8 && key <= 25) return as_uint(v, UINT64_MAX, counters[key - 8]);
        return 1;
    }
}

int fe_decode_status(const uint8_t *payload, size_t len, fe_status_response *out)
{
    uint64_t present;
    int rc;
    if (!out) return FE_ERR_ARG;
    memset(out, 0, sizeof *out);
    rc = decode_map(payload, len, status_field, out, &present);
    out->present = present;
    if (rc) return rc;
    out->has_model = (present & BIT(4)) != 0;
    out->has_model_refusal = (present & BIT(26)) != 0;
    return require(present, BIT(1) | BIT(2));
}

/* ================================================================================================ */
/* Card token                                                                                       */
/* ================================================================================================ */

int fe_card_token(const uint8_t *key, size_t key_len, const char *pan, uint8_t out[16])
{
    uint8_t digits[19];
    uint8_t mac[FE_SHA256_DIGEST_BYTES];
    size_t n = 0;
    const char *p;
    int rc = FE_OK;

    if (!pan || !out || (!key && key_len)) return FE_ERR_ARG;
    for (p = pan; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == sizeof digits) { rc = FE_ERR_PAN; break; }
            digits[n++] = (uint8_t)*p;
        } else if (*p != ' ') {
            rc = FE_ERR_PAN;
            break;
        }
    }
    if (rc == FE_OK && n < 12) rc = FE_ERR_PAN;
    if (rc == FE_OK) {
        fe_hmac_sha256(key, key_len, digits, n, mac);
        memcpy(out, mac, 16);
    }
    fe_secure_zero(digits, sizeof digits);
    fe_secure_zero(mac, sizeof mac);
    return rc;
}

/* ================================================================================================ */
/* Connection                                                                                       */
/* ================================================================================================ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline)
{
    int64_t r = deadline - now_ms();
    if (r < 0) return 0;
    return r > INT_MAX ? INT_MAX : (int)r;
}

static void drop(fe_client *c)
{
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
}

static int io_error(fe_client *c, int e)
{
    c->last_errno = e;
    return FE_ERR_IO;
}

/* Waits until fd is ready for events or the deadline passes. */
static int wait_fd(fe_client *c, short events, int64_t deadline)
{
    struct pollfd p;
    for (;;) {
        int rc;
        p.fd = c->fd;
        p.events = events;
        p.revents = 0;
        rc = poll(&p, 1, remaining_ms(deadline));
        if (rc > 0) return FE_OK; /* ready, or HUP/ERR: the next send/recv reports it */
        if (rc == 0) return FE_ERR_TIMEOUT;
        if (errno != EINTR) return io_error(c, errno);
    }
}

static int connect_socket(fe_client *c, int64_t deadline)
{
    struct sockaddr_un sa;
    size_t plen = strlen(c->path);
    int fd, flags;

    if (plen == 0 || plen >= sizeof sa.sun_path) return FE_ERR_ARG;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, c->path, plen + 1);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return io_error(c, errno);
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        int e = errno;
        close(fd);
        return io_error(c, e);
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    c->fd = fd;

    for (;;) {
        if (connect(fd, (const struct sockaddr *)&sa, sizeof sa) == 0 || errno == EISCONN) return FE_OK;
        if (errno == EINTR) continue;
        if (errno == EINPROGRESS || errno == EALREADY) {
            int rc = wait_fd(c, POLLOUT, deadline), soerr = 0;
            socklen_t sl = sizeof soerr;
            if (rc == FE_OK && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0) rc = io_error(c, errno);
            else if (rc == FE_OK && soerr != 0) rc = io_error(c, soerr);
            if (rc != FE_OK) drop(c);
            return rc;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            /* Linux: the listen backlog is full (service busy accepting); retry until the deadline. */
            int rem = remaining_ms(deadline);
            struct timespec ts;
            if (rem == 0) {
                drop(c);
                return FE_ERR_TIMEOUT;
            }
            ts.tv_sec = 0;
            ts.tv_nsec = (long)(rem < 5 ? rem : 5) * 1000000L;
            nanosleep(&ts, NULL);
            continue;
        }
        {
            int rc = io_error(c, errno); /* ENOENT: no socket; ECONNREFUSED: not running; EACCES: mode */
            drop(c);
            return rc;
        }
    }
}

/* *sent gets the number of bytes written, so the caller knows whether any reached the service. */
static int send_all(fe_client *c, const uint8_t *p, size_t n, int64_t deadline, size_t *sent)
{
    size_t off = 0;
    int rc = FE_OK;
    while (off < n) {
        ssize_t w = send(c->fd, p + off, n - off, MSG_NOSIGNAL);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if ((rc = wait_fd(c, POLLOUT, deadline)) != FE_OK) break;
            continue;
        }
        if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            c->last_errno = errno;
            rc = FE_ERR_CLOSED;
        } else {
            rc = io_error(c, w < 0 ? errno : EIO);
        }
        break;
    }
    *sent = off;
    return rc;
}

static int recv_all(fe_client *c, uint8_t *p, size_t n, int64_t deadline)
{
    size_t off = 0;
    while (off < n) {
        ssize_t r = recv(c->fd, p + off, n - off, 0);
        if (r > 0) {
            off += (size_t)r;
            continue;
        }
        if (r == 0) return FE_ERR_CLOSED;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int rc = wait_fd(c, POLLIN, deadline);
            if (rc != FE_OK) return rc;
            continue;
        }
        if (errno == ECONNRESET) {
            c->last_errno = errno;
            return FE_ERR_CLOSED;
        }
        return io_error(c, errno);
    }
    return FE_OK;
}

/* True when an idle, reused connection can carry a request: nothing is pending on it. Pending input
 * before a request is EOF (idle timeout, service restart), an error, or an unsolicited frame: in every
 * case the connection is out of use. */
static int idle_connection_ok(int fd)
{
    struct pollfd p;
    int rc;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    do {
        rc = poll(&p, 1, 0);
    } while (rc < 0 && errno == EINTR);
    return rc == 0;
}

static uint32_t next_request_id(fe_client *c)
{
    uint32_t id = c->next_request_id ? c->next_request_id : 1;
    c->next_request_id = id == UINT32_MAX ? 1 : id + 1;
    return id;
}

/* Sends frame[0..frame_len) and reads the answer to request_id into c->buf. Returns FE_OK with the
 * payload of a frame of type expect_type, FE_ERR_SERVER with *err filled, or another error (after which
 * the connection has been dropped). */
static int exchange(fe_client *c, const uint8_t *frame, size_t frame_len, uint32_t request_id,
                    uint8_t expect_type, const uint8_t **payload, size_t *payload_len, fe_error *err)
{
    int64_t deadline = now_ms() + c->timeout_ms;
    fe_frame_header h;
    uint32_t length;
    size_t sent = 0;
    int rc, reused = 0;

    c->last_decode_error = 0;
    if (c->fd >= 0) {
        if (idle_connection_ok(c->fd)) reused = 1;
        else drop(c);
    }
    if (c->fd < 0 && (rc = connect_socket(c, deadline)) != FE_OK) return rc;

    rc = send_all(c, frame, frame_len, deadline, &sent);
    if (rc == FE_ERR_CLOSED && reused && sent == 0) {
        /* The service closed the idle connection just now and has not seen this request: once more. */
        drop(c);
        if ((rc = connect_socket(c, deadline)) != FE_OK) return rc;
        rc = send_all(c, frame, frame_len, deadline, &sent);
    }
    if (rc != FE_OK) goto broken;

    if ((rc = recv_all(c, c->buf, 4, deadline)) != FE_OK) goto broken;
    length = (uint32_t)be_get(c->buf, 4);
    if (length < 6) {
        rc = FE_ERR_PROTOCOL;
        goto broken;
    }
    if (length > FE_MAX_FRAME_BYTES) { /* checked before reading the rest */
        rc = FE_ERR_TOO_LARGE;
        goto broken;
    }
    if ((rc = recv_all(c, c->buf + 4, length, deadline)) != FE_OK) goto broken;
    if ((rc = fe_decode_frame_header(c->buf, (size_t)length + 4, &h)) != FE_OK) goto protocol;

    *payload = c->buf + FE_FRAME_HEADER_BYTES;
    *payload_len = h.payload_len;

    if (h.type == FE_MSG_ERROR && (h.request_id == request_id || h.request_id == 0)) {
        fe_error tmp;
        fe_error *e = err ? err : &tmp;
        if ((rc = fe_decode_error(*payload, *payload_len, e)) != FE_OK) goto protocol;
        e->request_id = h.request_id;
        /* An error not tied to our request (id 0) or one that closes the connection: drop it. */
        if (h.request_id != request_id || server_error_closes(e->code)) drop(c);
        return FE_ERR_SERVER;
    }
    if (h.request_id != request_id || h.type != expect_type) {
        rc = FE_ERR_PROTOCOL;
        goto broken;
    }
    return FE_OK;

protocol:
    c->last_decode_error = rc;
    rc = FE_ERR_PROTOCOL;
broken:
    drop(c); /* responses would be out of step: the next call reconnects */
    return rc;
}

/* Decoding failed for a frame that arrived whole: a protocol error, the connection is dropped. */
static int decode_failed(fe_client *c, int rc)
{
    c->last_decode_error = rc;
    drop(c);
    return FE_ERR_PROTOCOL;
}

static int client_ready(const fe_client *c)
{
    return c != NULL && c->path[0] != 0;
}

int fe_open(fe_client *c, const char *socket_path, int timeout_ms)
{
    size_t n;
    if (!c || !socket_path) return FE_ERR_ARG;
    memset(c, 0, sizeof *c);
    c->fd = -1;
    n = strlen(socket_path);
    if (n == 0 || n >= sizeof c->path) return FE_ERR_ARG;
    memcpy(c->path, socket_path, n + 1);
    c->next_request_id = 1;
    fe_set_timeout(c, timeout_ms);
    return connect_socket(c, now_ms() + c->timeout_ms);
}

void fe_set_timeout(fe_client *c, int timeout_ms)
{
    if (c) c->timeout_ms = timeout_ms > 0 ? timeout_ms : FE_DEFAULT_TIMEOUT_MS;
}

void fe_close(fe_client *c)
{
    if (!c) return;
    drop(c);
    c->path[0] = 0;
}

int fe_score(fe_client *c, const fe_score_request *req, fe_score_response *out, fe_error *err)
{
    uint8_t frame[256];
    const uint8_t *payload;
    size_t plen;
    uint32_t id;
    int rc, n;

    if (!client_ready(c) || !req || !out) return FE_ERR_ARG;
    id = next_request_id(c);
    if ((n = fe_encode_score_request(frame, sizeof frame, id, req)) < 0) return n;
    rc = exchange(c, frame, (size_t)n, id, FE_MSG_SCORE_RESPONSE, &payload, &plen, err);
    if (rc != FE_OK) return rc;
    if ((rc = fe_decode_score_response(payload, plen, out)) != FE_OK) return decode_failed(c, rc);
    if (out->event_id != req->event_id) return decode_failed(c, FE_ERR_PROTOCOL);
    return FE_OK;
}

int fe_report_outcome(fe_client *c, const fe_outcome_notice *notice, fe_error *err)
{
    uint8_t frame[128];
    const uint8_t *payload;
    size_t plen;
    uint32_t id;
    fe_ack ack;
    int rc, n;

    if (!client_ready(c) || !notice) return FE_ERR_ARG;
    id = next_request_id(c);
    if ((n = fe_encode_outcome_notice(frame, sizeof frame, id, notice)) < 0) return n;
    rc = exchange(c, frame, (size_t)n, id, FE_MSG_ACK, &payload, &plen, err);
    if (rc != FE_OK) return rc;
    if ((rc = fe_decode_ack(payload, plen, &ack)) != FE_OK) return decode_failed(c, rc);
    if (ack.event_id != notice->event_id) return decode_failed(c, FE_ERR_PROTOCOL);
    return FE_OK;
}

int fe_ping(fe_client *c, fe_pong *out, fe_error *err)
{
    uint8_t frame[16];
    const uint8_t *payload;
    size_t plen;
    uint32_t id;
    int rc, n;

    if (!client_ready(c) || !out) return FE_ERR_ARG;
    id = next_request_id(c);
    if ((n = fe_encode_ping(frame, sizeof frame, id)) < 0) return n;
    rc = exchange(c, frame, (size_t)n, id, FE_MSG_PONG, &payload, &plen, err);
    if (rc != FE_OK) return rc;
    if ((rc = fe_decode_pong(payload, plen, out)) != FE_OK) return decode_failed(c, rc);
    return FE_OK;
}

int fe_status(fe_client *c, fe_status_response *out, fe_error *err)
{
    uint8_t frame[16];
    const uint8_t *payload;
    size_t plen;
    uint32_t id;
    int rc, n;

    if (!client_ready(c) || !out) return FE_ERR_ARG;
    id = next_request_id(c);
    if ((n = fe_encode_status_request(frame, sizeof frame, id)) < 0) return n;
    rc = exchange(c, frame, (size_t)n, id, FE_MSG_STATUS_RESPONSE, &payload, &plen, err);
    if (rc != FE_OK) return rc;
    if ((rc = fe_decode_status(payload, plen, out)) != FE_OK) return decode_failed(c, rc);
    return FE_OK;
}

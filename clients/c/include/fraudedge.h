/*
 * fraudedge.h - C99 client of fraudedged, the FraudEdge on-device fraud-decision daemon.
 *
 * Wire contract: docs/protocol.md (IPC protocol v1). Unix stream socket; every frame is
 *   u32 BE length | version 0x01 | type | u32 BE request id | one MessagePack map (integer keys)
 *
 * Two layers:
 *   - pure encode/decode functions (no I/O, no allocation, no global state), and
 *   - a blocking connection API over a caller-provided fe_client (no malloc).
 *
 * Every function returns FE_OK (0) or a negative FE_ERR_* code (encoders return the frame length).
 * Thread safety: the pure functions are reentrant; an fe_client must be used by one thread at a time
 * (use one fe_client per thread).
 */
#ifndef FRAUDEDGE_H
#define FRAUDEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Constants ------------------------------------------------------------------------------- */

#define FE_PROTOCOL_VERSION 1
#define FE_DEFAULT_SOCKET "/run/fraudedge/fraudedged.sock"
#define FE_DEFAULT_TIMEOUT_MS 1000
/* Largest frame `length` value (header 6 + payload) accepted or sent: service.max_frame_bytes. */
#define FE_MAX_FRAME_BYTES 4096
/* Bytes before the payload: length (4) + version (1) + type (1) + request id (4). */
#define FE_FRAME_HEADER_BYTES 10
/* Decoder limits (docs/protocol.md §3). */
#define FE_MAX_MAP_ENTRIES 64
#define FE_MAX_ARRAY_LENGTH 64
#define FE_MAX_DEPTH 8
/* Capacity of fe_client's path buffer (sizeof sockaddr_un.sun_path on Linux). */
#define FE_MAX_PATH 108

/* Message types (§2). */
enum {
    FE_MSG_SCORE_REQUEST = 0x01,
    FE_MSG_SCORE_RESPONSE = 0x02,
    FE_MSG_OUTCOME_NOTICE = 0x03,
    FE_MSG_ACK = 0x04,
    FE_MSG_PING = 0x05,
    FE_MSG_PONG = 0x06,
    FE_MSG_STATUS_REQUEST = 0x07,
    FE_MSG_STATUS_RESPONSE = 0x08,
    FE_MSG_ERROR = 0x7F
};

/* ---- Result codes ------------------------------------------------------------------------------ */

enum {
    FE_OK = 0,
    FE_ERR_ARG = -1,           /* NULL pointer, client not open, or a request field not encodable */
    FE_ERR_NOSPACE = -2,       /* the caller's output buffer is too small */
    FE_ERR_TOO_LARGE = -3,     /* a frame longer than FE_MAX_FRAME_BYTES (sent or received) */
    FE_ERR_TIMEOUT = -4,       /* no complete response within the timeout; connection marked broken */
    FE_ERR_IO = -5,            /* socket/connect/read/write failed; errno in fe_client.last_errno */
    FE_ERR_CLOSED = -6,        /* the service closed the connection */
    FE_ERR_PROTOCOL = -7,      /* the service sent something unexpected (bad frame, wrong id/type, bad
                                  payload: the decoder's code is in fe_client.last_decode_error) */
    FE_ERR_SERVER = -8,        /* the service answered with an Error frame: details in fe_error */
    FE_ERR_TRUNCATED = -9,     /* decoder: the bytes end inside a value */
    FE_ERR_MALFORMED = -10,    /* decoder: not MessagePack / not a map / duplicate key / trailing bytes */
    FE_ERR_WRONG_TYPE = -11,   /* decoder: a known key has a value of the wrong type or out of range */
    FE_ERR_MISSING_FIELD = -12,/* decoder: a required key is absent (or nil) */
    FE_ERR_LIMIT = -13,        /* decoder: more than 64 map entries / array elements, or depth > 8 */
    FE_ERR_PAN = -14           /* fe_card_token: not 12-19 digits (spaces allowed) */
};

/* Static English text for an FE_OK / FE_ERR_* code; never NULL. */
const char *fe_strerror(int rc);

/* ---- Enumerations of the messages (values are wire values) ---------------------------------------- */

enum { FE_KIND_UNKNOWN = 0, FE_KIND_PURCHASE = 1, FE_KIND_REFUND = 2, FE_KIND_VOID = 3,
       FE_KIND_PREAUTH = 4, FE_KIND_COMPLETION = 5, FE_KIND_CASH_ADVANCE = 6 };
enum { FE_ENTRY_UNKNOWN = 0, FE_ENTRY_CHIP = 1, FE_ENTRY_CONTACTLESS_CHIP = 2,
       FE_ENTRY_CONTACTLESS_MAGSTRIPE = 3, FE_ENTRY_SWIPE = 4, FE_ENTRY_CHIP_FALLBACK_SWIPE = 5,
       FE_ENTRY_KEY_ENTERED = 6, FE_ENTRY_CARD_ON_FILE = 7 };
enum { FE_CVM_UNKNOWN = 0, FE_CVM_NONE = 1, FE_CVM_OFFLINE_PIN = 2, FE_CVM_ONLINE_PIN = 3,
       FE_CVM_SIGNATURE = 4, FE_CVM_CDCVM = 5, FE_CVM_FAILED = 6 };
enum { FE_SCHEME_UNKNOWN = 0, FE_SCHEME_VISA = 1, FE_SCHEME_MASTERCARD = 2, FE_SCHEME_AMEX = 3,
       FE_SCHEME_DISCOVER = 4, FE_SCHEME_JCB = 5, FE_SCHEME_UNIONPAY = 6, FE_SCHEME_DOMESTIC = 7 };
enum { FE_CARD_UNKNOWN = 0, FE_CARD_DEBIT = 1, FE_CARD_CREDIT = 2, FE_CARD_PREPAID = 3,
       FE_CARD_COMMERCIAL = 4 };
enum { FE_CRYPTOGRAM_NONE = 0, FE_CRYPTOGRAM_AAC = 1, FE_CRYPTOGRAM_TC = 2, FE_CRYPTOGRAM_ARQC = 3 };
enum { FE_VERDICT_ALLOW = 1, FE_VERDICT_REVIEW = 2, FE_VERDICT_DENY = 3 };
enum { FE_SOURCE_MODEL = 1, FE_SOURCE_RULES_NO_MODEL = 2, FE_SOURCE_RULES_DEADLINE = 3,
       FE_SOURCE_RULES_MODEL_ERROR = 4 };
enum { FE_OUTCOME_ISSUER_RESPONSE = 1, FE_OUTCOME_FRAUD_REPORTED = 2, FE_OUTCOME_CHARGEBACK = 3,
       FE_OUTCOME_CONFIRMED_GENUINE = 4 };

/* Reason-code bits of fe_score_response.reasons (§4.2). */
#define FE_REASON_CHIP_FALLBACK_SWIPE      (UINT64_C(1) << 0)
#define FE_REASON_KEYED_ENTRY              (UINT64_C(1) << 1)
#define FE_REASON_CARD_TESTING_BURST       (UINT64_C(1) << 2)
#define FE_REASON_CARD_VELOCITY            (UINT64_C(1) << 3)
#define FE_REASON_AMOUNT_UNUSUAL_FOR_CARD  (UINT64_C(1) << 4)
#define FE_REASON_HIGH_RISK_MCC            (UINT64_C(1) << 5)
#define FE_REASON_ATC_ANOMALY              (UINT64_C(1) << 6)
#define FE_REASON_REFUND_ANOMALY           (UINT64_C(1) << 7)
#define FE_REASON_FOREIGN_CARD             (UINT64_C(1) << 8)
#define FE_REASON_NO_CVM_HIGH_AMOUNT       (UINT64_C(1) << 9)
#define FE_REASON_HOT_LISTED_CARD          (UINT64_C(1) << 10)
#define FE_REASON_CARD_DECLINES            (UINT64_C(1) << 11)
#define FE_REASON_UNUSUAL_HOUR             (UINT64_C(1) << 12)
#define FE_REASON_OFFLINE_AUTH_FAILED      (UINT64_C(1) << 13)
#define FE_REASON_CVM_FAILED               (UINT64_C(1) << 14)
#define FE_REASON_TERMINAL_RISK            (UINT64_C(1) << 15)
#define FE_REASON_FLOOR_LIMIT_EXCEEDED     (UINT64_C(1) << 16)
#define FE_REASON_MODEL_UNAVAILABLE        (UINT64_C(1) << 32)
#define FE_REASON_MODEL_DEADLINE_EXCEEDED  (UINT64_C(1) << 33)
#define FE_REASON_MODEL_ERROR              (UINT64_C(1) << 34)

/* Error codes carried by an Error frame (§5), in fe_error.code. */
enum {
    FE_SERR_FRAME_TOO_LARGE = 1, FE_SERR_UNSUPPORTED_VERSION = 2, FE_SERR_UNKNOWN_MESSAGE_TYPE = 3,
    FE_SERR_MALFORMED_PAYLOAD = 4, FE_SERR_WRONG_TYPE = 5, FE_SERR_MISSING_FIELD = 6,
    FE_SERR_LIMIT_EXCEEDED = 7, FE_SERR_INVALID_EVENT = 8, FE_SERR_READ_TIMEOUT = 10,
    FE_SERR_SERVER_BUSY = 11, FE_SERR_SHUTTING_DOWN = 12, FE_SERR_INTERNAL_ERROR = 13,
    FE_SERR_UNEXPECTED_MESSAGE = 14, FE_SERR_FRAME_TOO_SHORT = 15, FE_SERR_PEER_NOT_ALLOWED = 16,
    FE_SERR_OVER_MEMORY_BUDGET = 17 /* open: no decision, decide offline and retry later */
};

/* Name of a §5 error code ("InvalidEvent"), or "Unknown". */
const char *fe_server_error_name(unsigned code);

/* ---- Messages ---------------------------------------------------------------------------------- */

/* ScoreRequest (§4.1). Call fe_score_request_init() first: it zeroes everything and sets attended. */
typedef struct fe_score_request {
    uint64_t event_id;          /*  1 req. unique per terminal, != 0 */
    char terminal_id[17];       /*  2 req. 1-16 printable ASCII (0x21-0x7E), NUL-terminated */
    char merchant_id[17];       /*  3 req. 1-16 printable ASCII */
    uint16_t lane;              /*  4 */
    uint32_t operator_id;       /*  5 */
    int64_t timestamp_ms;       /*  6 req. UTC ms since 1970 */
    int16_t local_offset_min;   /*  7 local time - UTC, minutes */
    uint8_t kind;               /*  8 req. FE_KIND_* */
    int64_t amount_minor;       /*  9 req. */
    int64_t cashback_minor;     /* 10 */
    uint16_t currency;          /* 11 req. ISO 4217 numeric */
    uint16_t mcc;               /* 12 req. */
    uint16_t terminal_country;  /* 13 req. ISO 3166-1 numeric */
    uint8_t card_token[16];     /* 14 req. see fe_card_token() */
    uint32_t bin;               /* 15 req. 6-8 digits */
    uint16_t last_four;         /* 16 req. */
    uint8_t scheme;             /* 17 FE_SCHEME_* */
    uint8_t card_type;          /* 18 FE_CARD_* */
    uint16_t issuer_country;    /* 19 */
    uint16_t expiry_yymm;       /* 20 */
    uint16_t service_code;      /* 21 */
    uint8_t entry_mode;         /* 22 req. FE_ENTRY_* */
    uint8_t cvm;                /* 23 req. FE_CVM_* */
    bool has_atc;               /*    key 24 is sent only when true */
    uint16_t atc;               /* 24 */
    uint8_t tvr[5];             /* 25 EMV tag 95 */
    uint8_t cryptogram;         /* 26 FE_CRYPTOGRAM_* */
    bool attended;              /* 27 default true */
} fe_score_request;

void fe_score_request_init(fe_score_request *req);

/* ScoreResponse (§4.2). */
typedef struct fe_score_response {
    uint64_t event_id;          /* 1 echoes the request's event_id */
    uint8_t verdict;            /* 2 FE_VERDICT_* */
    uint8_t risk_score;         /* 3 1-99 */
    float probability;          /* 4 NaN when the rules decided (or absent) */
    uint64_t reasons;           /* 5 FE_REASON_* bits */
    uint8_t source;             /* 6 FE_SOURCE_* */
    uint32_t elapsed_us;        /* 7 */
    char model_version[32];     /* 8 "" when the rules decided without a model */
} fe_score_response;

/* OutcomeNotice (§4.3). */
typedef struct fe_outcome_notice {
    uint64_t event_id;          /* 1 req. the ScoreRequest's event_id */
    char terminal_id[17];       /* 2 req. as in the ScoreRequest */
    uint8_t card_token[16];     /* 3 req. */
    int64_t timestamp_ms;       /* 4 req. */
    uint8_t kind;               /* 5 req. FE_OUTCOME_* */
    char response_code[3];      /* 6 two chars ("00", "05"), "" = not sent; required by kind 1 */
} fe_outcome_notice;

/* Ack (§4.4). */
typedef struct fe_ack {
    uint64_t event_id;
} fe_ack;

/* Pong (§4.5). */
typedef struct fe_pong {
    uint32_t protocol_version;
    uint64_t uptime_ms;
} fe_pong;

/* StatusResponse (§4.6). Strings are NUL-terminated and truncated to fit; absent keys are 0 / "". */
typedef struct fe_status_response {
    uint64_t present;           /* bit k set when key k (1..26) was present and not nil */
    char service_version[48];   /*  1 */
    uint32_t protocol_version;  /*  2 */
    char profile[32];           /*  3 */
    bool has_model;             /*    key 4 present: a model is loaded */
    char model_name[48];        /*  4 */
    char model_version[32];     /*  5 */
    char model_sha256[65];      /*  6 64 hex digits */
    char tokenizer[32];         /*  7 */
    uint64_t decisions;         /*  8 */
    uint64_t allowed;           /*  9 */
    uint64_t reviewed;          /* 10 */
    uint64_t denied;            /* 11 */
    uint64_t rejected;          /* 12 */
    uint64_t fallbacks;         /* 13 */
    uint64_t deadline_misses;   /* 14 */
    uint64_t outcomes;          /* 15 */
    uint64_t connections_active;  /* 16 */
    uint64_t connections_total;   /* 17 */
    uint64_t connections_refused; /* 18 */
    uint64_t protocol_errors;   /* 19 */
    uint64_t rss_bytes;         /* 20 */
    uint64_t peak_rss_bytes;    /* 21 */
    uint64_t managed_heap_bytes;/* 22 */
    uint64_t uptime_ms;         /* 23 */
    uint64_t latency_p50_us;    /* 24 */
    uint64_t latency_p99_us;    /* 25 */
    bool has_model_refusal;     /*    key 26 present */
    uint32_t model_refusal;     /* 26 BundleErrorCode of the last refused bundle */
    uint64_t allocated_bytes;   /* 27 (0 when absent) */
    uint64_t memory_budget_bytes; /* 28 the memory budget in force (0 when absent) */
    uint64_t gc_heap_limit_bytes; /* 29 GC heap hard limit in force (0: none or absent) */
    bool shedding;              /* 30 ScoreRequests refused with OverMemoryBudget */
    uint64_t audit_last_record; /* 31 number of the audit log's last record (0: no log, empty, or absent) */
    char audit_head_sha256[65]; /* 32 its SHA-256, 64 hex digits ("" when absent): anchor it off the device */
} fe_status_response;

/* Error (§5). */
typedef struct fe_error {
    uint32_t request_id;        /* of the Error frame (0: not tied to a request); set by the connection API */
    uint16_t code;              /* 1 FE_SERR_* */
    char message[128];          /* 2 English sentence for logs (truncated to fit) */
    char field[32];             /* 3 offending key name, "" when absent */
    bool has_detail;
    uint64_t detail;            /* 4 finer code (ValidationErrorCode for InvalidEvent), 0 when absent */
} fe_error;

/* ---- Pure encoders: write one whole frame, return its size in bytes or a negative FE_ERR_* --------
 * Integers use the smallest MessagePack encoding, keys ascending, optional keys at their default value
 * omitted (docs/protocol.md §8.2). A ScoreRequest frame is at most 200 bytes. */

int fe_encode_score_request(uint8_t *buf, size_t cap, uint32_t request_id, const fe_score_request *req);
int fe_encode_outcome_notice(uint8_t *buf, size_t cap, uint32_t request_id, const fe_outcome_notice *n);
int fe_encode_ping(uint8_t *buf, size_t cap, uint32_t request_id);
int fe_encode_status_request(uint8_t *buf, size_t cap, uint32_t request_id);

/* ---- Pure decoders ---------------------------------------------------------------------------------
 * Accept any valid MessagePack encoding, keys in any order; unknown keys (any value, nesting <= 8) are
 * skipped. Never read outside [payload, payload + len). On error *out is unspecified but safe
 * (strings NUL-terminated). */

typedef struct fe_frame_header {
    uint32_t length;            /* wire value: bytes after the length field (6 + payload) */
    uint8_t version;
    uint8_t type;               /* FE_MSG_* */
    uint32_t request_id;
    uint32_t payload_len;       /* length - 6 */
} fe_frame_header;

/* Decodes the first FE_FRAME_HEADER_BYTES of a frame. FE_ERR_TRUNCATED when len < 10,
 * FE_ERR_PROTOCOL for length < 6 or version != 1, FE_ERR_TOO_LARGE for length > FE_MAX_FRAME_BYTES.
 * The header fields are filled in whenever at least 10 bytes were given. The payload starts at
 * buf + FE_FRAME_HEADER_BYTES. */
int fe_decode_frame_header(const uint8_t *buf, size_t len, fe_frame_header *h);

int fe_decode_score_response(const uint8_t *payload, size_t len, fe_score_response *out);
int fe_decode_error(const uint8_t *payload, size_t len, fe_error *out);   /* out->request_id = 0 */
int fe_decode_pong(const uint8_t *payload, size_t len, fe_pong *out);
int fe_decode_ack(const uint8_t *payload, size_t len, fe_ack *out);
int fe_decode_status(const uint8_t *payload, size_t len, fe_status_response *out);

/* ---- Card token ------------------------------------------------------------------------------------
 * out = first 16 bytes of HMAC-SHA-256(key, PAN digits as ASCII). Spaces in pan are skipped; any other
 * non-digit, or fewer than 12 / more than 19 digits, is FE_ERR_PAN. The digit copy and the HMAC state
 * are wiped before returning. Same result as FraudEdge.Core CardToken.FromPan. */
int fe_card_token(const uint8_t *key, size_t key_len, const char *pan, uint8_t out[16]);

/* ---- Connection ------------------------------------------------------------------------------------
 * Blocking calls; every read and write waits with poll() for at most timeout_ms in total per call.
 * Responses are matched on the request id. After a timeout, a protocol error, a closed connection or
 * an Error frame that closes the connection (§5 "closed"), the connection is dropped and the next call
 * reconnects once by itself. A connection closed by the service while idle is detected before the next
 * request is written and reopened transparently. SIGPIPE is never raised (MSG_NOSIGNAL).
 * Fields are private: read last_errno / last_decode_error for diagnostics only. */
typedef struct fe_client {
    int fd;                     /* -1 when not connected */
    int timeout_ms;
    uint32_t next_request_id;
    int last_errno;             /* errno behind the last FE_ERR_IO (e.g. ENOENT, EACCES, ECONNREFUSED) */
    int last_decode_error;      /* decoder code behind the last FE_ERR_PROTOCOL, else 0 */
    char path[FE_MAX_PATH];     /* "" after fe_close */
    uint8_t buf[FE_MAX_FRAME_BYTES + 4];
} fe_client;

/* Initialises *c and connects. timeout_ms <= 0 means FE_DEFAULT_TIMEOUT_MS. On a connection failure
 * the client stays initialised (later calls retry the connection); call fe_close() in every case. */
int fe_open(fe_client *c, const char *socket_path, int timeout_ms);
void fe_set_timeout(fe_client *c, int timeout_ms);

/* err may be NULL; it is filled in when the result is FE_ERR_SERVER (e.g. code 8 InvalidEvent). */
int fe_score(fe_client *c, const fe_score_request *req, fe_score_response *out, fe_error *err);
int fe_report_outcome(fe_client *c, const fe_outcome_notice *notice, fe_error *err);
int fe_ping(fe_client *c, fe_pong *out, fe_error *err);
int fe_status(fe_client *c, fe_status_response *out, fe_error *err);

/* Closes the socket; further calls return FE_ERR_ARG until fe_open(). Safe to call twice. */
void fe_close(fe_client *c);

#ifdef __cplusplus
}
#endif

#endif /* FRAUDEDGE_H */

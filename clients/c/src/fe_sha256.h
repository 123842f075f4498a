/* fe_sha256.h - internal: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), no dependencies. */
#ifndef FE_SHA256_H
#define FE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define FE_SHA256_DIGEST_BYTES 32
#define FE_SHA256_BLOCK_BYTES 64

typedef struct fe_sha256_ctx {
    uint32_t state[8];
    uint64_t total_bytes;
    uint8_t block[FE_SHA256_BLOCK_BYTES];
    size_t block_len;
} fe_sha256_ctx;

void fe_sha256_init(fe_sha256_ctx *ctx);
void fe_sha256_update(fe_sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void fe_sha256_final(fe_sha256_ctx *ctx, uint8_t out[FE_SHA256_DIGEST_BYTES]);
void fe_sha256(const void *data, size_t len, uint8_t out[FE_SHA256_DIGEST_BYTES]);

/* HMAC-SHA-256; every intermediate buffer is wiped before returning. key may be NULL when key_len is 0. */
void fe_hmac_sha256(const uint8_t *key, size_t key_len, const void *msg, size_t msg_len,
                    uint8_t out[FE_SHA256_DIGEST_BYTES]);

/* memset that the compiler may not remove (for key and PAN material). */
void fe_secure_zero(void *p, size_t n);

#endif /* FE_SHA256_H */

/* fe_sha256.c - SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104). Portable C99, endian-independent. */
#include "fe_sha256.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

void fe_secure_zero(void *p, size_t n)
{
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--) *v++ = 0;
}

static void compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64];
    uint32_t a, b, c, d, e, f, g, h;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = ((uint32_t)block[4 * i] << 24) | ((uint32_t)block[4 * i + 1] << 16) |
               ((uint32_t)block[4 * i + 2] << 8) | (uint32_t)block[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = state[0]; b = state[1]; c = state[2]; d = state[3];
    e = state[4]; f = state[5]; g = state[6]; h = state[7];
    for (i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    fe_secure_zero(w, sizeof w); /* the schedule holds message (PAN) material */
}

void fe_sha256_init(fe_sha256_ctx *ctx)
{
    static const uint32_t iv[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };
    memcpy(ctx->state, iv, sizeof iv);
    ctx->total_bytes = 0;
    ctx->block_len = 0;
    memset(ctx->block, 0, sizeof ctx->block);
}

void fe_sha256_update(fe_sha256_ctx *ctx, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    ctx->total_bytes += (uint64_t)len;
    while (len > 0) {
        size_t take = FE_SHA256_BLOCK_BYTES - ctx->block_len;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->block_len, p, take);
        ctx->block_len += take;
        p += take;
        len -= take;
        if (ctx->block_len == FE_SHA256_BLOCK_BYTES) {
            compress(ctx->state, ctx->block);
            ctx->block_len = 0;
        }
    }
}

void fe_sha256_final(fe_sha256_ctx *ctx, uint8_t out[FE_SHA256_DIGEST_BYTES])
{
    uint64_t bits = ctx->total_bytes * 8u;
    int i;

    ctx->block[ctx->block_len++] = 0x80;
    if (ctx->block_len > 56) {
        memset(ctx->block + ctx->block_len, 0, FE_SHA256_BLOCK_BYTES - ctx->block_len);
        compress(ctx->state, ctx->block);
        ctx->block_len = 0;
    }
    memset(ctx->block + ctx->block_len, 0, 56 - ctx->block_len);
    for (i = 0; i < 8; i++) ctx->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress(ctx->state, ctx->block);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)ctx->state[i];
    }
    fe_secure_zero(ctx, sizeof *ctx);
}

void fe_sha256(const void *data, size_t len, uint8_t out[FE_SHA256_DIGEST_BYTES])
{
    fe_sha256_ctx ctx;
    fe_sha256_init(&ctx);
    fe_sha256_update(&ctx, data, len);
    fe_sha256_final(&ctx, out);
}

void fe_hmac_sha256(const uint8_t *key, size_t key_len, const void *msg, size_t msg_len,
                    uint8_t out[FE_SHA256_DIGEST_BYTES])
{
    uint8_t k[FE_SHA256_BLOCK_BYTES];
    uint8_t pad[FE_SHA256_BLOCK_BYTES];
    uint8_t inner[FE_SHA256_DIGEST_BYTES];
    fe_sha256_ctx ctx;
    size_t i;

    memset(k, 0, sizeof k);
    if (key_len > FE_SHA256_BLOCK_BYTES)
        fe_sha256(key, key_len, k);
    else if (key_len > 0)
        memcpy(k, key, key_len);

    for (i = 0; i < sizeof pad; i++) pad[i] = (uint8_t)(k[i] ^ 0x36);
    fe_sha256_init(&ctx);
    fe_sha256_update(&ctx, pad, sizeof pad);
    fe_sha256_update(&ctx, msg, msg_len);
    fe_sha256_final(&ctx, inner);

    for (i = 0; i < sizeof pad; i++) pad[i] = (uint8_t)(k[i] ^ 0x5c);
    fe_sha256_init(&ctx);
    fe_sha256_update(&ctx, pad, sizeof pad);
    fe_sha256_update(&ctx, inner, sizeof inner);
    fe_sha256_final(&ctx, out);

    fe_secure_zero(k, sizeof k);
    fe_secure_zero(pad, sizeof pad);
    fe_secure_zero(inner, sizeof inner);
}

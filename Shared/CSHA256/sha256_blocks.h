#ifndef HOTLINE_CSHA256_H
#define HOTLINE_CSHA256_H
/*
 * SHA-256's block function on the x86 SHA extensions (SHA-NI), for HotlineCore's SHA256.
 *
 * Every event a service appends or receives is hashed into its stream's chain, so the block
 * function runs for every event in every process; in Swift it took 3% of each service's CPU.
 * The SHA instructions are reached only through the compiler's intrinsics, which Swift
 * cannot call, so the loop lives here as a header-only function compiled for those
 * instructions alone. HotlineCore calls it only after `hotline_sha256_hardware_available`
 * said yes, and keeps its portable Swift implementation for every other machine.
 */
#include <stddef.h>
#include <stdint.h>

/* The round constants (FIPS 180-4 §4.2.2), also read by the portable Swift code. */
static const uint32_t hotline_sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/* SHA (CPUID.7.0:EBX bit 29), SSSE3 (CPUID.1:ECX bit 9) and SSE4.1 (CPUID.1:ECX bit 19). */
static inline int hotline_sha256_hardware_available(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 9)) || !(c & (1u << 19))) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 29)) != 0;
}

/*
 * Compresses `blocks` 64-byte blocks from `data` into `state` (the eight working words
 * A..H in order). The instructions keep the state as two vectors, (A,B,E,F) and (C,D,G,H),
 * the first word in the highest lane; four message words are scheduled at a time.
 */
__attribute__((target("sha,ssse3,sse4.1")))
static inline void hotline_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    /* Reverses the bytes of each 32-bit lane: the message words are big-endian. */
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);

    /* Lanes low to high: [A,B,C,D] and [E,F,G,H] become ABEF = [F,E,B,A] and CDGH = [H,G,D,C]. */
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);

    for (size_t block = 0; block < blocks; block++, data += 64) {
        const __m128i abefBefore = abef, cdghBefore = cdgh;
        __m128i w[4];
        for (int i = 0; i < 4; i++) {
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), byteSwap);
        }
        for (int i = 0; i < 16; i++) {
            if (i >= 4) {
                /* W[t..t+3] from W[t-16..t-1]: msg1 adds σ0, alignr brings W[t-7..t-4], msg2 adds σ1. */
                const __m128i older = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
                const __m128i middle = _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4);
                w[i & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(older, middle), w[(i + 3) & 3]);
            }
            __m128i wk = _mm_add_epi32(w[i & 3], _mm_load_si128((const __m128i *)&hotline_sha256_k[4 * i]));
            /* Two rounds each: the old (A,B,E,F) is the (C,D,G,H) of two rounds later. */
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }

    /* Back to [A,B,C,D] and [E,F,G,H]. */
    const __m128i abefReversed = _mm_shuffle_epi32(abef, 0x1B); /* [A,B,E,F] */
    const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);        /* [G,H,C,D] */
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abefReversed, ghcd, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abefReversed, 8));
}
#else
static inline int hotline_sha256_hardware_available(void) { return 0; }
static inline void hotline_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state; (void)data; (void)blocks;
}
#endif
#endif

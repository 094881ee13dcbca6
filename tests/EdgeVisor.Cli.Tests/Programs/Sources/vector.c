/* Loops GCC vectorises at -O3 (Advanced SIMD): reductions, element-wise maths, widening and narrowing. */
#include <inttypes.h>
#include <string.h>
#include "common.h"

#define N 4099

static int8_t a8[N], b8[N];
static int16_t a16[N], b16[N];
static int32_t a32[N], b32[N];
static int64_t a64[N];
static float af[N], bf[N], cf[N];
static double ad[N], bd[N];
static uint8_t bytes[N];

int main(void)
{
    uint64_t seed = 777;
    for (int i = 0; i < N; i++) {
        uint64_t r = next_random(&seed);
        a8[i] = (int8_t)r; b8[i] = (int8_t)(r >> 8);
        a16[i] = (int16_t)(r >> 16); b16[i] = (int16_t)(r >> 32);
        a32[i] = (int32_t)r; b32[i] = (int32_t)(r >> 29);
        a64[i] = (int64_t)r;
        af[i] = (float)(int16_t)(r >> 3) / 64.0f; bf[i] = (float)(int16_t)(r >> 21) / 32.0f;
        ad[i] = (double)(int32_t)(r >> 7) / 1024.0; bd[i] = (double)(int32_t)(r >> 31) / 4096.0;
        bytes[i] = (uint8_t)(r >> 40);
    }

    int32_t s8 = 0, s16 = 0; int64_t s32 = 0, s64 = 0; uint32_t sbytes = 0;
    for (int i = 0; i < N; i++) s8 += a8[i] * b8[i];
    for (int i = 0; i < N; i++) s16 += a16[i] > b16[i] ? a16[i] : b16[i];
    for (int i = 0; i < N; i++) s32 += (int64_t)a32[i] * b32[i];
    for (int i = 0; i < N; i++) s64 ^= a64[i] >> 3;
    for (int i = 0; i < N; i++) sbytes += bytes[i] < 128 ? bytes[i] : 255 - bytes[i];
    printf("sums %" PRId32 " %" PRId32 " %" PRId64 " %" PRId64 " %" PRIu32 "\n", s8, s16, s32, s64, sbytes);

    for (int i = 0; i < N; i++) cf[i] = af[i] * 1.5f + bf[i];
    for (int i = 0; i < N; i++) cf[i] = cf[i] > 0 ? cf[i] : -cf[i] * 0.25f;
    float fmaxv = 0; double dsum = 0;
    for (int i = 0; i < N; i++) fmaxv = fmaxv > cf[i] ? fmaxv : cf[i];
    for (int i = 0; i < N; i++) dsum += ad[i] * bd[i];
    printf("float %a %a %016" PRIx64 "\n", (double)fmaxv, dsum, fnv1a(cf, sizeof cf, FNV_START));

    for (int i = 0; i < N; i++) a16[i] = (int16_t)((a8[i] * b8[i]) >> 2);
    for (int i = 0; i < N; i++) bytes[i] = (uint8_t)(a32[i] >> 24) ^ bytes[i];
    for (int i = 0; i < N; i++) { int v = a16[i] + b16[i]; a8[i] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
    for (int i = 0; i < N; i++) a32[i] = (int32_t)af[i] + (int32_t)(bd[i] * 3.0);
    for (int i = 0; i < N; i++) ad[i] = (double)a32[i] / 7.0 + (double)af[i];
    printf("hashes %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n",
           fnv1a(a16, sizeof a16, FNV_START), fnv1a(bytes, sizeof bytes, FNV_START), fnv1a(a8, sizeof a8, FNV_START),
           fnv1a(a32, sizeof a32, FNV_START), fnv1a(ad, sizeof ad, FNV_START));

    char text[N];
    for (int i = 0; i < N - 1; i++) text[i] = (char)('a' + bytes[i] % 26);
    text[N - 1] = 0;
    int upper = 0;
    for (int i = 0; i < N - 1; i++) upper += text[i] == 'e';
    memmove(text + 3, text, 1000);
    printf("text %d %zu %016" PRIx64 "\n", upper, strlen(text), fnv1a(text, N, FNV_START));
    return 0;
}

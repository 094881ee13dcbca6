/* The benchmark workload (apps/bench-compute.c) at a test-sized default iteration count. */
#define BENCH_DEFAULT_ITERATIONS 300
#include "../apps/bench-compute.c"

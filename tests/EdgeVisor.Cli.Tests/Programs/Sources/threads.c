/* POSIX threads: create/join, mutexes, condition variables, atomics (LSE or LL/SC), thread-local storage. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include "common.h"

#define THREADS 6
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long guarded_total;
static atomic_long atomic_total;
static _Atomic uint64_t mixed;
static int turn;
static __thread int thread_local_value;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    thread_local_value = id * 100;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        guarded_total += id;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomic_total, 1);
        uint64_t expected = atomic_load(&mixed);
        while (!atomic_compare_exchange_weak(&mixed, &expected, expected ^ ((uint64_t)id << (i & 31))))
            ;
    }
    return (void *)(intptr_t)(thread_local_value + id);
}

static void *ping_pong(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&lock);
        while (turn != me)
            pthread_cond_wait(&turn_changed, &lock);
        turn = 1 - me;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)(i + 1));
    long returned = 0;
    for (int i = 0; i < THREADS; i++) {
        void *value;
        pthread_join(threads[i], &value);
        returned += (long)(intptr_t)value;
    }
    printf("guarded=%ld atomic=%ld returned=%ld mixed=%016" PRIx64 "\n", guarded_total, (long)atomic_load(&atomic_total), returned, (uint64_t)atomic_load(&mixed));

    pthread_t a, b;
    pthread_create(&a, NULL, ping_pong, (void *)0);
    pthread_create(&b, NULL, ping_pong, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("ping-pong done, turn=%d, main tls=%d\n", turn, thread_local_value);
    return 0;
}

/*
 * The C producer of weft's io bench (weft-ioqueue-c): feeds a weft I/O request queue from a
 * process of its own, written against ioqueue.h alone, and prints what it measured on one line.
 * The bench compiles it with gcc at run time and serves the queue with an IoLoop in its JVM.
 *
 * usage: ioq_bench QUEUE SLOTS file SRC OP BLOCK DEPTH FILEBYTES RANDOM MILLIS
 *   Keeps DEPTH requests (OP 1 read, 2 write) of BLOCK bytes of file SRC in flight for MILLIS ms,
 *   request t in slot t % SLOTS with destination t % DEPTH, at random block-aligned offsets of a
 *   file of FILEBYTES (RANDOM 1) or in order (RANDOM 0); spins on the status word while it waits.
 *   Prints "ops=N nanos=T".
 * usage: ioq_bench QUEUE SLOTS latency SRC BLOCK FILEBYTES BUSY IDLE GAP_US
 *   One request at a time, destination 0: BUSY back to back, then IDLE each after a pause of
 *   GAP_US; publish-to-complete times on CLOCK_MONOTONIC. Prints
 *   "p50=A p99=B p50-idle=C p99-idle=D" in ns.
 * Exits 1, saying why, when a request completes with an error or a short transfer.
 */
#include "ioqueue.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

/* Uniformly random blocks (xorshift), or blocks in order wrapping at the end. */
struct offsets { uint64_t blocks, block, state, next; int random; };

static uint64_t next_offset(struct offsets *o) {
    if (!o->random) {
        uint64_t at = o->next;
        o->next = o->next + 1 == o->blocks ? 0 : o->next + 1;
        return at * o->block;
    }
    uint64_t x = o->state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    o->state = x;
    return (x % o->blocks) * o->block;
}

static void publish(void *queue, uint32_t slots, uint64_t t, uint32_t op, uint32_t src, uint32_t dst,
                    uint64_t offset, uint32_t bytes) {
    uint32_t *slot = weft_ioq_slot(queue, (uint32_t) (t % slots));
    while (weft_ioq_publish(slot, op, src, dst, offset, bytes, (uint32_t) t) != 0) {
        cpu_relax(); /* not collected yet: cannot happen with DEPTH <= SLOTS, but wait rather than skip */
    }
}

static void collect(void *queue, uint32_t slots, uint64_t t, uint32_t bytes) {
    uint32_t *slot = weft_ioq_slot(queue, (uint32_t) (t % slots));
    uint32_t status, result;
    while (!weft_ioq_collect(slot, &status, &result)) {
        cpu_relax();
    }
    if (status != WEFT_IOQ_STATUS_DONE_OK || result != bytes) {
        fprintf(stderr, "request %llu completed with status 0x%x result %u (expected DONE_OK with %u bytes)\n",
                (unsigned long long) t, status, result, bytes);
        exit(1);
    }
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(uint64_t *v, size_t n, double p) {
    qsort(v, n, sizeof *v, compare);
    size_t i = (size_t) (p / 100.0 * (double) n);
    return v[i >= n ? n - 1 : i];
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: ioq_bench QUEUE SLOTS file|latency ...\n");
        return 2;
    }
    uint32_t slots = (uint32_t) strtoul(argv[2], NULL, 10);
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    void *queue = mmap(NULL, (size_t) slots * WEFT_IOQ_SLOT_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (queue == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    if (strcmp(argv[3], "file") == 0 && argc == 11) {
        uint32_t src = (uint32_t) strtoul(argv[4], NULL, 10);
        uint32_t op = (uint32_t) strtoul(argv[5], NULL, 10);
        uint32_t block = (uint32_t) strtoul(argv[6], NULL, 10);
        uint32_t depth = (uint32_t) strtoul(argv[7], NULL, 10);
        uint64_t file_bytes = strtoull(argv[8], NULL, 10);
        int random = atoi(argv[9]);
        uint64_t millis = strtoull(argv[10], NULL, 10);
        if (depth < 1 || depth > slots) {
            fprintf(stderr, "DEPTH %u must be 1..SLOTS (%u)\n", depth, slots);
            return 2;
        }
        struct offsets o = {file_bytes / block, block, 7, 0, random};
        uint64_t start = now_ns(), deadline = start + millis * 1000000ull, t = 0, done = 0;
        for (; t < depth; t++) {
            publish(queue, slots, t, op, src, (uint32_t) (t % depth), next_offset(&o), block);
        }
        for (;;) {
            collect(queue, slots, done, block);
            done++;
            if (now_ns() >= deadline) {
                break;
            }
            publish(queue, slots, t, op, src, (uint32_t) (t % depth), next_offset(&o), block);
            t++;
        }
        for (; done < t; done++) {
            collect(queue, slots, done, block);
        }
        printf("ops=%llu nanos=%llu\n", (unsigned long long) done, (unsigned long long) (now_ns() - start));
        return 0;
    }
    if (strcmp(argv[3], "latency") == 0 && argc == 10) {
        uint32_t src = (uint32_t) strtoul(argv[4], NULL, 10);
        uint32_t block = (uint32_t) strtoul(argv[5], NULL, 10);
        uint64_t file_bytes = strtoull(argv[6], NULL, 10);
        size_t busy = (size_t) strtoull(argv[7], NULL, 10);
        size_t idle = (size_t) strtoull(argv[8], NULL, 10);
        long gap_us = atol(argv[9]);
        if (busy < 1 || idle < 1) {
            fprintf(stderr, "BUSY and IDLE must be >= 1\n");
            return 2;
        }
        uint64_t *times = malloc((busy + idle) * sizeof *times);
        struct offsets o = {file_bytes / block, block, 11, 0, 1};
        struct timespec pause = {gap_us / 1000000, (gap_us % 1000000) * 1000};
        for (uint64_t t = 0; t < busy + idle; t++) {
            if (t >= busy) {
                nanosleep(&pause, NULL);
            }
            uint64_t t0 = now_ns();
            publish(queue, slots, t, WEFT_IOQ_OP_READ, src, 0, next_offset(&o), block);
            collect(queue, slots, t, block);
            times[t] = now_ns() - t0;
        }
        uint64_t p50 = percentile(times, busy, 50), p99 = percentile(times, busy, 99);
        uint64_t p50i = percentile(times + busy, idle, 50), p99i = percentile(times + busy, idle, 99);
        printf("p50=%llu p99=%llu p50-idle=%llu p99-idle=%llu\n", (unsigned long long) p50,
               (unsigned long long) p99, (unsigned long long) p50i, (unsigned long long) p99i);
        free(times);
        return 0;
    }
    fprintf(stderr, "usage: ioq_bench QUEUE SLOTS file SRC OP BLOCK DEPTH FILEBYTES RANDOM MILLIS\n"
                    "       ioq_bench QUEUE SLOTS latency SRC BLOCK FILEBYTES BUSY IDLE GAP_US\n");
    return 2;
}

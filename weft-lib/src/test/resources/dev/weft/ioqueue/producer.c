/*
 * A producer of weft's I/O request queue in another process, written against ioqueue.h alone:
 * CProducerTest (weft-lib) runs it beside a loop in the test's JVM, and IoqueueServerProcessTest
 * (weft-cli) beside `weft ioqueue` in a third process; both compile it with gcc.
 *
 * usage: producer QUEUE SLOTS DSTFILE LENGTH SRC WDST RDST OFFSET [FIRST]
 *   Maps the queue file QUEUE (SLOTS slots) and the destination file DSTFILE, whose first LENGTH
 *   bytes are destination WDST and next LENGTH bytes destination RDST. Fills WDST with a pattern,
 *   then publishes in slots FIRST..FIRST+3 (mod SLOTS; FIRST is 0 unless given, or where a
 *   producer run before left off): WRITE of WDST to file SRC at OFFSET, FENCE, READ of file SRC
 *   at OFFSET into RDST, and a READ of an unregistered file. Collects the four results, prints
 *   them, and exits 0 if each is what the ABI says and RDST holds the pattern.
 */
#include "ioqueue.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void *map_file(const char *path, size_t size) {
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        exit(2);
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    return p;
}

/* Waits (at most 20 s) for the slot's result and collects it. */
static int await_slot(uint32_t *slot, uint32_t *status, uint32_t *result) {
    struct timespec pause = {0, 50000};
    for (long i = 0; i < 400000; i++) {
        if (weft_ioq_collect(slot, status, result)) {
            return 0;
        }
        nanosleep(&pause, NULL);
    }
    return -1;
}

static unsigned char pattern(size_t i) {
    return (unsigned char) (i * 7 + 3);
}

int main(int argc, char **argv) {
    if (argc != 9 && argc != 10) {
        fprintf(stderr, "usage: producer QUEUE SLOTS DSTFILE LENGTH SRC WDST RDST OFFSET [FIRST]\n");
        return 2;
    }
    uint32_t slots = (uint32_t) strtoul(argv[2], NULL, 10);
    uint32_t length = (uint32_t) strtoul(argv[4], NULL, 10);
    uint32_t src = (uint32_t) strtoul(argv[5], NULL, 10);
    uint32_t wdst = (uint32_t) strtoul(argv[6], NULL, 10);
    uint32_t rdst = (uint32_t) strtoul(argv[7], NULL, 10);
    uint64_t offset = strtoull(argv[8], NULL, 10);
    uint32_t first = argc == 10 ? (uint32_t) strtoul(argv[9], NULL, 10) : 0;
    if (slots < 4) {
        fprintf(stderr, "producer needs a queue of 4 slots or more\n");
        return 2;
    }
    void *queue = map_file(argv[1], (size_t) slots * WEFT_IOQ_SLOT_BYTES);
    unsigned char *dst = map_file(argv[3], 2 * (size_t) length);
    for (size_t i = 0; i < length; i++) {
        dst[i] = pattern(i);
    }

    struct { uint32_t op, src, dst; uint64_t offset; uint32_t bytes, tag, status, result; } req[4] = {
        {WEFT_IOQ_OP_WRITE, src, wdst, offset, length, 100, WEFT_IOQ_STATUS_DONE_OK, length},
        {WEFT_IOQ_OP_FENCE, 0, 0, 0, 0, 101, WEFT_IOQ_STATUS_DONE_OK, 0},
        {WEFT_IOQ_OP_READ, src, rdst, offset, length, 102, WEFT_IOQ_STATUS_DONE_OK, length},
        {WEFT_IOQ_OP_READ, 999, rdst, 0, length, 103, WEFT_IOQ_STATUS_DONE_ERROR, WEFT_IOQ_ERR_BAD_SRC},
    };
    for (uint32_t i = 0; i < 4; i++) {
        if (weft_ioq_publish(weft_ioq_slot(queue, (first + i) % slots), req[i].op, req[i].src, req[i].dst, req[i].offset,
                             req[i].bytes, req[i].tag) != 0) {
            fprintf(stderr, "slot %u is not EMPTY\n", (first + i) % slots);
            return 1;
        }
    }
    int ok = 1;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t index = (first + i) % slots;
        uint32_t *slot = weft_ioq_slot(queue, index);
        uint32_t status, result;
        if (await_slot(slot, &status, &result) != 0) {
            printf("slot %u: no result within 20 s\n", index);
            return 1;
        }
        printf("slot %u: status 0x%x result %u tag %u\n", index, status, result, slot[WEFT_IOQ_WORD_TAG]);
        if (status != req[i].status || result != req[i].result || slot[WEFT_IOQ_WORD_TAG] != req[i].tag) {
            printf("slot %u: expected status 0x%x result %u tag %u\n", index, req[i].status, req[i].result,
                   req[i].tag);
            ok = 0;
        }
    }
    if (memcmp(dst, dst + length, length) != 0) {
        printf("the read did not bring back what was written\n");
        ok = 0;
    } else {
        printf("read back %u bytes as written\n", length);
    }
    return ok ? 0 : 1;
}

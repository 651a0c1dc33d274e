/*
 * ioqueue.h: the ABI of weft's I/O request queue, for producers written in any language.
 *
 * This header is the single source of the queue's numbers: weft's Java constants
 * (dev.weft.ioqueue.QueueAbi, dev.weft.ioqueue.QueueError) are checked against it by a test.
 * It ships inside weft's jar as dev/weft/ioqueue/ioqueue.h, and `./weft ioqueue --print-header`
 * prints it.
 *
 * THE QUEUE
 *   A queue is N slots of shared memory (N a power of two from 1 to 65,536; 64 by default), slot
 *   i at byte i * WEFT_IOQ_SLOT_BYTES, typically a file under /dev/shm that the producer and
 *   `weft ioqueue` both map with MAP_SHARED. Each slot is eight little-endian u32 words:
 *
 *     word 0  op         WEFT_IOQ_OP_READ, _WRITE or _FENCE
 *     word 1  src        the handle of a file registered with the loop (--src H=PATH)
 *     word 2  dst        the handle of a registered destination (--dst H=FILE:OFFSET:LENGTH)
 *     word 3  offset_lo  the file offset, low 32 bits
 *     word 4  offset_hi  the file offset, high 32 bits
 *     word 5  bytes      the request's length; on completion, its result (see RESULTS)
 *     word 6  status     the slot's state (see THE PROTOCOL)
 *     word 7  tag        the producer's own; the loop never reads or writes it
 *
 *   READ  reads `bytes` bytes from file `src` at `offset` into destination `dst`, at its base.
 *   WRITE writes `bytes` bytes from destination `dst`, from its base, to file `src` at `offset`.
 *   FENCE completes once every request in the slots before it has completed, and the loop starts
 *         no request after it until then; its src, dst, offset and bytes are ignored.
 *
 * THE PROTOCOL
 *   Status moves EMPTY -> PUBLISHED -> CLAIMED -> DONE_OK or DONE_ERROR -> EMPTY. The producer
 *   writes EMPTY and PUBLISHED; the loop writes CLAIMED and DONE_*. Who owns the other words:
 *   the producer while the slot is EMPTY (it fills them) and once it is DONE_* (it reads the
 *   result); the loop from PUBLISHED to DONE_* (it reads the request once and writes `bytes`).
 *
 *   The loop serves slots in order: it waits at slot (cursor mod N) and moves to the next slot
 *   only after claiming this one. So a producer publishes its requests in slot order, wrapping
 *   around, one after another, and reuses a slot only once it has collected its result (set it
 *   EMPTY). One producer process per queue (or producers that agree among themselves which slot
 *   is next, as weft's Java QueueProducer does for many threads of one process). Where the loop
 *   starts is in STARTING.
 *
 *   Memory ordering, in C11 terms (GCC/Clang: __atomic_load_n, __atomic_store_n,
 *   __atomic_compare_exchange_n on the u32 status word):
 *     P1 producer: load status with ACQUIRE; it must be EMPTY (else the slot is not yet free).
 *     P2 producer: plain stores to op, src, dst, offset_lo, offset_hi, bytes, tag.
 *     P3 producer: store status = PUBLISHED with RELEASE. P2's stores happen before it.
 *     L1 loop:     load status with ACQUIRE. EMPTY, DONE_OK or DONE_ERROR: nothing is published
 *                  here yet, wait. PUBLISHED: go on to L2. Any other value (CLAIMED written by a
 *                  producer, garbage): claim it by compare-and-swap and complete it DONE_ERROR
 *                  with WEFT_IOQ_ERR_NOT_PUBLISHED.
 *     L2 loop:     compare-and-swap status PUBLISHED -> CLAIMED, ACQUIRE on success; on failure
 *                  (the word changed meanwhile) go back to L1. Only this CAS claims a request,
 *                  so each publication is claimed at most once.
 *     L3 loop:     read op, src, dst, offset_lo, offset_hi, bytes once each, validate, run.
 *     L4 loop:     store the result in bytes, then store status = DONE_OK or DONE_ERROR with
 *                  RELEASE. The result's store happens before it.
 *     P4 producer: load status with ACQUIRE; once DONE_*, read bytes (and tag).
 *     P5 producer: store status = EMPTY with RELEASE (several collecting threads: compare-and-
 *                  swap DONE_* -> EMPTY so that one collects); the slot is free again.
 *
 * RESULTS
 *   DONE_OK:    bytes = the bytes transferred. A read at or past the end of the file is DONE_OK
 *               with fewer bytes (0 at the end); a short write is DONE_OK with fewer bytes too.
 *               A FENCE's bytes is 0.
 *   DONE_ERROR: bytes = one of the WEFT_IOQ_ERR_* codes below, or WEFT_IOQ_ERR_ERRNO_BASE + errno
 *               when the kernel failed the operation (e.g. EBADF: the file was not opened for
 *               that direction; EIO).
 *
 * THE QUEUE IS UNTRUSTED INPUT
 *   The loop checks every claimed slot, in this order, and completes a bad one DONE_ERROR with the
 *   first code that applies, then goes on with the next slot: NOT_PUBLISHED, BAD_OP; for READ and
 *   WRITE: BAD_SRC, BAD_DST, ZERO_LENGTH, PAST_DESTINATION, OFFSET_OVERFLOW, and then
 *   DESTINATION_FREED if the server's own memory behind dst is gone. Nothing is ever read or
 *   written outside a registered destination.
 *
 * WAITING
 *   A producer never needs to wake the loop. A busy loop finds a publication within
 *   microseconds; an idle one polls the slot it waits at, spinning, then parking from 10 us
 *   doubling to 100 us; a loop idle for 10 ms with nothing in flight dozes, polling every 2 ms
 *   (both configurable; `weft ioqueue` uses the defaults). So the first request after a quiet
 *   spell may wait up to one doze period (2 ms) before it is claimed; then the loop is busy again.
 *
 * STOPPING
 *   When the loop stops it completes every slot it has claimed: a request the kernel finished is
 *   reported as it finished, every other one DONE_ERROR with WEFT_IOQ_ERR_STOPPED (or
 *   WEFT_IOQ_ERR_LOOP_FAILED when the loop failed). Published slots it had not claimed stay
 *   PUBLISHED; the next server finds them (STARTING).
 *
 * STARTING
 *   On a new (or empty) queue file the loop starts at slot 0. A server started on an existing
 *   queue file, which a producer may have used before (its next slot 17, say) and a server that
 *   died may have left requests in, goes on where the producer is:
 *     S1 every slot it finds CLAIMED (claimed by a server that died, never completed) it completes
 *        DONE_ERROR with WEFT_IOQ_ERR_LOOP_DIED before it serves anything; such a request may or
 *        may not have run (a WRITE may have reached the file);
 *     S2 it starts at the oldest PUBLISHED slot in ring order: the first slot of the run of
 *        PUBLISHED slots (walking back from slot k to slot k-1 mod N while that is PUBLISHED too).
 *        With nothing PUBLISHED it watches every slot until something is, and starts there the
 *        same way. With every slot PUBLISHED as it starts (no oldest to tell), at slot 0.
 *   So a producer keeps its own next slot across server restarts, and collects its results as
 *   usual. A producer that restarts while a server goes on serving must go on from its last slot
 *   too (the server waits there), or restart the server with it, or start on a new file.
 */
#ifndef WEFT_IOQUEUE_H
#define WEFT_IOQUEUE_H

#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "weft's I/O request queue is little-endian; this target is not"
#endif

#define WEFT_IOQ_ABI_VERSION 1

/* Slot layout. */
#define WEFT_IOQ_SLOT_WORDS 8
#define WEFT_IOQ_SLOT_BYTES 32
#define WEFT_IOQ_WORD_OP 0
#define WEFT_IOQ_WORD_SRC 1
#define WEFT_IOQ_WORD_DST 2
#define WEFT_IOQ_WORD_OFFSET_LO 3
#define WEFT_IOQ_WORD_OFFSET_HI 4
#define WEFT_IOQ_WORD_BYTES 5
#define WEFT_IOQ_WORD_STATUS 6
#define WEFT_IOQ_WORD_TAG 7

/* Queue sizes: a power of two in [MIN_SLOTS, MAX_SLOTS]. */
#define WEFT_IOQ_DEFAULT_SLOTS 64
#define WEFT_IOQ_MIN_SLOTS 1
#define WEFT_IOQ_MAX_SLOTS 65536

/* Handles: src and dst are in [0, MAX_HANDLE]. */
#define WEFT_IOQ_MAX_HANDLE 65535

/* Ops. */
#define WEFT_IOQ_OP_READ 1
#define WEFT_IOQ_OP_WRITE 2
#define WEFT_IOQ_OP_FENCE 3

/* Status. */
#define WEFT_IOQ_STATUS_EMPTY 0
#define WEFT_IOQ_STATUS_PUBLISHED 1
#define WEFT_IOQ_STATUS_CLAIMED 2
#define WEFT_IOQ_STATUS_DONE_OK 0x10
#define WEFT_IOQ_STATUS_DONE_ERROR 0x11

/* Error codes: the result of a DONE_ERROR slot. */
#define WEFT_IOQ_ERR_BAD_OP 1           /* op is not READ, WRITE or FENCE */
#define WEFT_IOQ_ERR_BAD_SRC 2          /* src names no registered file */
#define WEFT_IOQ_ERR_BAD_DST 3          /* dst names no registered destination */
#define WEFT_IOQ_ERR_ZERO_LENGTH 4      /* bytes is 0 */
#define WEFT_IOQ_ERR_PAST_DESTINATION 5 /* bytes is larger than the destination */
#define WEFT_IOQ_ERR_OFFSET_OVERFLOW 6  /* offset + bytes does not fit in a signed 64-bit file offset */
#define WEFT_IOQ_ERR_NOT_PUBLISHED 7    /* the loop found a status other than PUBLISHED to claim */
#define WEFT_IOQ_ERR_STOPPED 8          /* the loop stopped before the request ran */
#define WEFT_IOQ_ERR_LOOP_FAILED 9      /* the loop failed (its fatal error says why) */
#define WEFT_IOQ_ERR_LOOP_DIED 10       /* a loop claimed it and died before completing it (it may have run) */
#define WEFT_IOQ_ERR_DESTINATION_FREED 11 /* the server's memory behind dst was freed while it served */
#define WEFT_IOQ_ERR_ERRNO_BASE 0x1000  /* + errno: the kernel failed the operation */
#define WEFT_IOQ_ERR_ERRNO_MAX 0x1fff

#if defined(__GNUC__) || defined(__clang__)

/* The words of slot `index` of the queue mapped at `queue`. */
static inline uint32_t *weft_ioq_slot(void *queue, uint32_t index) {
    return (uint32_t *) queue + (uint64_t) index * WEFT_IOQ_SLOT_WORDS;
}

/* P1-P3: publishes a request in `slot`; 0, or -1 when the slot is not EMPTY (not yet collected). */
static inline int weft_ioq_publish(uint32_t *slot, uint32_t op, uint32_t src, uint32_t dst,
                                   uint64_t offset, uint32_t bytes, uint32_t tag) {
    if (__atomic_load_n(&slot[WEFT_IOQ_WORD_STATUS], __ATOMIC_ACQUIRE) != WEFT_IOQ_STATUS_EMPTY) {
        return -1;
    }
    slot[WEFT_IOQ_WORD_OP] = op;
    slot[WEFT_IOQ_WORD_SRC] = src;
    slot[WEFT_IOQ_WORD_DST] = dst;
    slot[WEFT_IOQ_WORD_OFFSET_LO] = (uint32_t) offset;
    slot[WEFT_IOQ_WORD_OFFSET_HI] = (uint32_t) (offset >> 32);
    slot[WEFT_IOQ_WORD_BYTES] = bytes;
    slot[WEFT_IOQ_WORD_TAG] = tag;
    __atomic_store_n(&slot[WEFT_IOQ_WORD_STATUS], WEFT_IOQ_STATUS_PUBLISHED, __ATOMIC_RELEASE);
    return 0;
}

/*
 * P4-P5: collects the result of `slot` if it is done: stores its status (DONE_OK or DONE_ERROR)
 * and result (bytes or error code), frees the slot and returns 1; returns 0 when not done yet.
 */
static inline int weft_ioq_collect(uint32_t *slot, uint32_t *status, uint32_t *result) {
    uint32_t s = __atomic_load_n(&slot[WEFT_IOQ_WORD_STATUS], __ATOMIC_ACQUIRE);
    if (s != WEFT_IOQ_STATUS_DONE_OK && s != WEFT_IOQ_STATUS_DONE_ERROR) {
        return 0;
    }
    *status = s;
    *result = slot[WEFT_IOQ_WORD_BYTES];
    __atomic_store_n(&slot[WEFT_IOQ_WORD_STATUS], WEFT_IOQ_STATUS_EMPTY, __ATOMIC_RELEASE);
    return 1;
}

#endif /* __GNUC__ || __clang__ */

#endif /* WEFT_IOQUEUE_H */

package dev.weft.runtime;

/**
 * One worker's counters at the moment they were read. Each counter is exact for the worker and
 * only grows; counters of one snapshot are read one after another without a lock, so they may
 * differ from each other by the work done during the read.
 *
 * @param index           the worker's index, 0-based
 * @param threadName      the worker's thread name
 * @param polled          tasks and resumptions taken from a queue to run
 * @param completed       task bodies that ended (returned, threw, or were cancelled)
 * @param spawned         tasks spawned by code running on this worker
 * @param wokenInside     virtual threads woken by code running on this worker (a task woke a task)
 * @param fromInjector    tasks and wake-ups this worker took from the global injector: spawned or
 *                        woken from outside the runtime, or moved there from a full run queue
 * @param stolen          tasks this worker stole from other workers
 * @param parks           times this worker went to sleep for lack of work
 * @param currentTaskId   the id of the task running now, or -1
 * @param currentTaskName the name of the task running now; empty if none or unnamed
 * @param runQueueLength  tasks in the worker's run queue
 * @param ioOperations    I/O operations started on this worker's driver (SQEs for io_uring, waits
 *                        for readiness for NIO); 0 without I/O
 * @param cqOverflows     times this worker found completions waiting in the kernel's backlog
 *                        because its io_uring completion queue was full (they are not lost, but
 *                        a growing count says the ring is too small for the load); 0 without io_uring
 * @param cqDropped       completions the kernel dropped because the completion queue was full and
 *                        it had no memory for its backlog; each is an operation that never
 *                        completes, so anything but 0 is a fault to report
 * @param stagingBytes    native memory the worker's driver holds now in staging buffers (the
 *                        copies of heap buffers that sends and receives go through); falls back
 *                        to a small kept amount when a burst of such operations ends
 * @param providedBytes   native memory the worker's driver holds now in provided buffers (the
 *                        buffers the kernel receives into for heap reads, io_uring from Linux
 *                        5.19); fixed once the first heap read registered them
 */
public record WorkerStats(int index, String threadName, long polled, long completed, long spawned,
                          long wokenInside, long fromInjector, long stolen, long parks,
                          long currentTaskId, String currentTaskName, int runQueueLength, long ioOperations,
                          long cqOverflows, long cqDropped,
                          long stagingBytes, long providedBytes) {
}

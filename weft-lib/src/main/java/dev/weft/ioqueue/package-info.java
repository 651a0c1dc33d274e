/**
 * The I/O request queue: a ring of request slots in shared memory that any producer fills (a
 * thread of this process, another process in any language, a GPU kernel writing host-mapped
 * memory) and that an {@link dev.weft.ioqueue.IoLoop} serves with io_uring, reading files straight
 * into registered destinations and writing them from there.
 *
 * <ul>
 *   <li>{@link dev.weft.ioqueue.IoQueue}: the slots (in this process, or a mapped file such as
 *       {@code /dev/shm/q}), with the lock-free protocol in its class comment.</li>
 *   <li>{@link dev.weft.ioqueue.QueueAbi}, {@link dev.weft.ioqueue.QueueError}: the ABI's numbers,
 *       whose single source is the C header {@code ioqueue.h} ({@link dev.weft.ioqueue.QueueAbi#header()}).</li>
 *   <li>{@link dev.weft.ioqueue.SourceFiles}, {@link dev.weft.ioqueue.Destinations}: what requests
 *       may name, by handle.</li>
 *   <li>{@link dev.weft.ioqueue.IoLoop}: the loop; {@link dev.weft.ioqueue.IoLoopStats} its counts.</li>
 *   <li>{@link dev.weft.ioqueue.QueueProducer}: publishing from many threads, tickets, await and poll.</li>
 * </ul>
 *
 * <pre>{@code
 * try (IoQueue queue = IoQueue.map(queueFile, 64)) {   // a file under /dev/shm, say
 *     IoLoop loop = IoLoop.start(queue,
 *             new SourceFiles().add(1, dataFile, SourceFiles.Access.READ_WRITE),
 *             new Destinations().add(0, buffer));
 *     QueueProducer producer = queue.producer();
 *     long write = producer.publish(QueueAbi.OP_WRITE, 1, 0, 4096, 512, 0);
 *     long fence = producer.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0);
 *     long read = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 512, 0);
 *     producer.await(write);
 *     producer.await(fence);
 *     Completion r = producer.await(read);
 *     loop.stop();
 * }
 * }</pre>
 *
 * Programs in other languages include {@code ioqueue.h} and map the same file; {@code ./weft ioqueue}
 * serves such a queue from the command line.
 */
package dev.weft.ioqueue;

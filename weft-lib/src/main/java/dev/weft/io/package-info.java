/**
 * The per-worker I/O drivers: what a worker polls between ticks and sleeps in. Internal; tasks
 * use them through {@code dev.weft.net}.
 *
 * <ul>
 *   <li>{@link dev.weft.io.IoDriver}: the contract, implemented by {@link dev.weft.io.UringDriver}
 *       (a ring per worker, operations as SQEs submitted in batches, completion tokens with a
 *       generation) and {@link dev.weft.io.NioDriver} (a selector per worker). Nothing above this
 *       package asks which one it has, except to report it.</li>
 *   <li>{@link dev.weft.io.IoBackends}: picks the backend at start (io_uring where it works, NIO
 *       otherwise, said once; {@code -Dweft.io} forces one).</li>
 *   <li>{@link dev.weft.io.IoGroup}: what one runtime's drivers share: the registered-region
 *       table ({@link dev.weft.io.RegionRegistry}: lock-free lookups, uses counted per slot so
 *       unregistering waits for the I/O in flight), listeners, shutdown.</li>
 *   <li>{@link dev.weft.io.StagingBuffers}: the bounded native buffers that heap-buffer I/O is
 *       copied through (the surplus of a burst is freed when it ends).</li>
 *   <li>{@link dev.weft.io.WakeHandle}: how any thread wakes a worker asleep in the kernel.</li>
 *   <li>{@link dev.weft.io.AcceptQueue}: a listener's multishot accept, shared by acceptors on
 *       every worker.</li>
 * </ul>
 */
package dev.weft.io;

/**
 * The per-worker I/O drivers: what a worker polls between ticks and sleeps in. Internal; tasks
 * use them through {@code dev.weft.net} and {@code dev.weft.fs}.
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
 *   <li>Shared by both: {@link dev.weft.io.Wakeup} (the wake contract; {@link dev.weft.io.UringWakeup}
 *       with its {@link dev.weft.io.WakeHandle} eventfd, {@link dev.weft.io.SelectorWakeup}) and
 *       {@link dev.weft.io.ControlMailbox} (messages for the worker's thread, and what becomes of
 *       them after close).</li>
 *   <li>io_uring's parts: {@link dev.weft.io.OperationTable} (slots, generations, tokens),
 *       {@link dev.weft.io.UringCompletions} and {@link dev.weft.io.UringOp} (where a CQE becomes a
 *       wake-up), {@link dev.weft.io.StagingBuffers} (the bounded native buffers heap-buffer I/O
 *       is copied through; a burst's surplus is freed when it ends) and
 *       {@link dev.weft.io.ProvidedBuffers}.
 *       NIO's: {@link dev.weft.io.NioWaiter} (where readiness becomes a wake-up) and
 *       {@link dev.weft.io.NioErrno}.</li>
 *   <li>{@link dev.weft.io.AcceptQueue}: a listener's multishot accept, shared by acceptors on
 *       every worker.</li>
 *   <li>Files ({@code dev.weft.fs} above): {@link dev.weft.io.OpenFile}, opened by
 *       {@link dev.weft.io.IoDriver#openFile} as {@link dev.weft.io.OpenSpec} says;
 *       {@link dev.weft.io.UringFile} (a descriptor, its operations as SQEs on the current
 *       worker's ring, kept open while they are in flight) and {@link dev.weft.io.NioFile} (a
 *       {@link java.nio.channels.FileChannel} on the blocking pool); {@link dev.weft.io.Blocking}
 *       runs a call there to its end. {@link dev.weft.io.StreamSockets} lets {@code fs} find a
 *       {@code TcpStream}'s socket for {@code transferTo}.</li>
 * </ul>
 */
package dev.weft.io;

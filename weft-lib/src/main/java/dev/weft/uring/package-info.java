/**
 * weft's binding to Linux io_uring through the Foreign Function &amp; Memory API: no JNI, no
 * liburing, no native library to install. Internal; {@code dev.weft.io} builds the per-worker
 * drivers on it.
 *
 * <ul>
 *   <li>{@link dev.weft.uring.Libc}: the system calls ({@code io_uring_setup}, {@code _enter},
 *       {@code _register} through {@code syscall(2)}; {@code mmap}, sockets, {@code eventfd}),
 *       each returning {@code -errno} on failure.</li>
 *   <li>{@link dev.weft.uring.Abi}: opcodes, flags and structure offsets of the kernel ABI.</li>
 *   <li>{@link dev.weft.uring.Ring}: one ring, its SQ and CQ mapped into the process, with the
 *       memory-ordering rules of sharing them with the kernel in its header.</li>
 *   <li>{@link dev.weft.uring.KernelFeatures}: what the kernel's io_uring supports, probed once.</li>
 *   <li>{@link dev.weft.uring.BufferRing}: provided buffers for receives.</li>
 * </ul>
 *
 * <pre>{@code
 * Ring ring = Ring.open(256, KernelFeatures.probe(), false);
 * long sqe = ring.nextSqe();
 * ring.prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, 42);
 * ring.submitAndWait(1, -1);
 * ring.reap((userData, res, flags) -> System.out.println(userData + " -> " + res));
 * ring.close();
 * }</pre>
 */
package dev.weft.uring;

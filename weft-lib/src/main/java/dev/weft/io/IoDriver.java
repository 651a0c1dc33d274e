package dev.weft.io;

import dev.weft.sched.Driver;
import dev.weft.sched.Scheduler;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The per-worker I/O driver contract, implemented by {@link UringDriver} (io_uring) and
 * {@link NioDriver} (a {@link java.nio.channels.Selector}). Everything above this layer
 * ({@code dev.weft.net}) talks to this interface only.
 *
 * <p>The waiting operations are called by a task, on the driver of the worker it runs on
 * ({@link #current}); the task parks until the operation completes, and its worker runs other
 * tasks meanwhile. Results follow the kernel's convention: a count {@code >= 0}, or
 * {@code -errno}; a timeout is {@code -ETIMEDOUT}. A task that is cancelled (interrupted) while it
 * waits has its operation cancelled and gets {@link InterruptedIOException}; the interrupt stays
 * set. Once a driver has failed ({@link #fail}), every operation of the runtime, waiting or new,
 * throws an {@link IOException} caused by that failure ({@link #failure()}).
 *
 * <p>Reads and writes on a {@link ByteBuffer} start at its position and advance it, as channels do.
 */
public interface IoDriver extends Driver {

    /** No timeout. */
    long NO_TIMEOUT = -1L;

    /**
     * The I/O driver of the worker the calling task runs on.
     *
     * @throws IllegalStateException naming {@code what} when the caller is not a task on a weft
     *                               runtime with I/O
     */
    static IoDriver current(String what) {
        Driver d = Scheduler.currentDriver();
        if (d instanceof IoDriver io) {
            return io;
        }
        throw new IllegalStateException(what + " must be called from a weft task (spawn one with Weft.spawn)"
                + (d == null ? "; the caller is " + Thread.currentThread()
                        : "; this runtime was started without I/O (Config.io is NONE)"));
    }

    /** A listening TCP socket bound to {@code address}. */
    SocketHandle listen(InetSocketAddress address, int backlog, SocketConfig config) throws ErrnoException;

    /**
     * Waits for a connection on {@code listener}.
     *
     * @param timeoutNanos {@link #NO_TIMEOUT}, or the longest wait
     * @throws ErrnoException with {@code ETIMEDOUT} when the timeout passed, or the kernel's errno
     */
    SocketHandle accept(SocketHandle listener, long timeoutNanos, SocketConfig config)
            throws IOException;

    /** Connects a new TCP socket to {@code address}. */
    SocketHandle connect(InetSocketAddress address, long timeoutNanos, SocketConfig config)
            throws IOException;

    /** Reads into {@code dst}: the bytes read, 0 at EOF, or {@code -errno}. */
    int read(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws IOException;

    /** Reads into native memory: the bytes read, 0 at EOF, or {@code -errno}. */
    int read(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws IOException;

    /** Writes some of {@code src}: the bytes written, or {@code -errno}. */
    int write(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws IOException;

    /** Writes some of native memory: the bytes written, or {@code -errno}. */
    int write(SocketHandle socket, MemorySegment src, long timeoutNanos) throws IOException;

    /** Writes some of the buffers, in order (a gathering write): the bytes written, or {@code -errno}. */
    long write(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws IOException;

    /**
     * Sends {@code length} bytes from {@code offset} of registered region {@code (slot,
     * generation)}: the bytes written, or {@code -errno}.
     *
     * @throws UnsupportedOperationException on a backend without registered regions (NIO)
     * @throws IllegalArgumentException      for an id that is not registered, or a range outside it
     */
    int writeRegion(SocketHandle socket, int slot, int generation, long offset, int length, long timeoutNanos)
            throws IOException;

    /** Receives into registered region {@code (slot, generation)} at {@code offset}: as {@link #writeRegion}. */
    int readRegion(SocketHandle socket, int slot, int generation, long offset, int length, long timeoutNanos)
            throws IOException;

    /**
     * Opens the file at {@code path} as {@code spec} says, parking the task while the kernel opens
     * it.
     *
     * @throws ErrnoException with the kernel's errno ({@code ENOENT}, {@code EEXIST}, ...)
     */
    OpenFile openFile(java.nio.file.Path path, OpenSpec spec) throws IOException;

    /** The runtime's shared I/O state; set by {@link #joinGroup} before the workers start. */
    IoGroup group();

    /** Joins the runtime's group; a backend with registered regions sizes its table to {@code regionSlots}. */
    void joinGroup(IoGroup group, int regionSlots);

    /** From any thread: cancels every operation in flight on this driver (runtime shutdown). */
    void cancelAll();
}

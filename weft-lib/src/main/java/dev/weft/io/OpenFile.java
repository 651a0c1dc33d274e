package dev.weft.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * An open file as a backend holds it: a file descriptor for io_uring ({@link UringFile}), a
 * {@link java.nio.channels.FileChannel} for NIO ({@link NioFile}). Made by
 * {@link IoDriver#openFile}; any worker's driver of the same backend operates on it, so a task
 * that moves between workers keeps using it.
 *
 * <p>The operations are called by a task and park it until they complete. Results follow the
 * kernel's convention: a count {@code >= 0} (a read returns 0 at the end of the file), or
 * {@code -errno}; {@code -EBADF} once the file is closed. A buffer's position is advanced by the
 * count, as channels do. The caller has checked the arguments (offsets, lengths, access, the
 * {@code O_DIRECT} alignment); a driver failure or a cancelled task throws as {@link IoDriver}
 * says.
 */
public interface OpenFile {

    /** The path the file was opened with. */
    Path path();

    /** Reads from {@code offset} into {@code dst}: the count, 0 at end of file, or {@code -errno}. */
    int read(ByteBuffer dst, long offset) throws IOException;

    /** Reads from {@code offset} into memory: as {@link #read(ByteBuffer, long)}. */
    int read(MemorySegment dst, long offset) throws IOException;

    /** Writes some of {@code src} at {@code offset} (at the end on an append-only file): the count, or {@code -errno}. */
    int write(ByteBuffer src, long offset) throws IOException;

    /** Writes some of the memory at {@code offset}: as {@link #write(ByteBuffer, long)}. */
    int write(MemorySegment src, long offset) throws IOException;

    /**
     * Reads {@code length} bytes at {@code fileOffset} into registered region {@code (slot,
     * generation)} at {@code regionOffset} ({@code READ_FIXED}).
     *
     * @throws UnsupportedOperationException on a backend without registered regions (NIO)
     * @throws IllegalArgumentException      for an id that is not registered, or a range outside it
     */
    int readRegion(int slot, int generation, long regionOffset, int length, long fileOffset) throws IOException;

    /** Writes from a registered region to the file ({@code WRITE_FIXED}): as {@link #readRegion}. */
    int writeRegion(int slot, int generation, long regionOffset, int length, long fileOffset) throws IOException;

    /** {@code fsync} (or {@code fdatasync} when {@code dataOnly}): 0, or {@code -errno}. */
    int sync(boolean dataOnly) throws IOException;

    /** The file's size in bytes, or {@code -errno}. */
    long size() throws IOException;

    /**
     * Sends up to {@code length} bytes of the file from {@code offset} to a connected socket of
     * the same backend, without copying them through the JVM's heap: the count sent, which is
     * less than {@code length} only at end of file. A wait for the socket to take more bytes
     * that passes {@code timeoutNanos} ({@link IoDriver#NO_TIMEOUT} for none) fails the transfer
     * on the socket side with {@code ETIMEDOUT}.
     *
     * @throws TransferException naming the side (file or socket) that failed, with its errno
     */
    long transferTo(long offset, long length, SocketHandle socket, long timeoutNanos) throws IOException;

    /**
     * The alignment {@code O_DIRECT} transfers need, found at open: {@code [memory, offset,
     * length]}, and where it came from; null for a file opened without {@code O_DIRECT}.
     */
    Alignment alignment();

    /** {@code O_DIRECT} alignment: buffer address ({@code memory}), file offset and length ({@code offset}). */
    record Alignment(int memory, int offset, String source) {
    }

    /**
     * Installs the file in the runtime's registered-file table, so that later operations name its
     * slot instead of its descriptor; idempotent.
     *
     * @return false when the file is closed
     * @throws UnsupportedOperationException on a backend or kernel without registered files
     * @throws IllegalStateException         when the table is full, or a ring refused
     */
    boolean register() throws IOException;

    /** Whether the file is registered ({@link #register}) and its registration is live. */
    boolean isRegistered();

    /**
     * Closes the file. An operation in flight keeps the descriptor open until it completes (its
     * number is never reused under it); closing twice does nothing.
     */
    void close();

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /** A {@link #transferTo} failed on one side; {@link #transferred()} bytes had been sent before. */
    final class TransferException extends dev.weft.uring.ErrnoException {
        private final boolean socketSide;
        private final long transferred;

        public TransferException(String what, int errno, boolean socketSide, long transferred, Throwable cause) {
            super(what + " failed: " + dev.weft.uring.Errno.name(errno), errno, cause);
            this.socketSide = socketSide;
            this.transferred = transferred;
        }

        /** Whether the socket failed (else the file did). */
        public boolean socketSide() {
            return socketSide;
        }

        /** Bytes sent before the failure. */
        public long transferred() {
            return transferred;
        }
    }
}

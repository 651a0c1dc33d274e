package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A file on the NIO backend: a {@link FileChannel} whose calls run on the runtime's bounded
 * blocking pool while the task parks ({@link Blocking}). Memory the pool's threads may not
 * use (a confined arena's) and heap memory no {@link ByteBuffer} can view (a {@code long[]}'s)
 * is copied through a byte array on the task's thread, at most 64 KiB per call. A call that has started runs to its end
 * even if the task is cancelled meanwhile: the pool thread is never interrupted, so the channel,
 * which closes itself when a thread using it is interrupted, stays open for the other tasks that
 * share it.
 *
 * <p>{@link #transferTo} is {@link FileChannel#transferTo} into the socket's non-blocking
 * channel ({@code sendfile(2)} on Linux), on the blocking pool too; when the socket's send buffer
 * is full it moves nothing, and the task waits for the socket's writability through the
 * worker's selector ({@link NioWaiter}) before it tries again.
 *
 * <p>{@code O_DIRECT} is the JDK's {@code ExtendedOpenOption.DIRECT}, which requires transfers
 * aligned to the file store's block size ({@link java.nio.file.FileStore#getBlockSize()}): that
 * is the alignment reported, and the one checked before each call.
 */
final class NioFile implements OpenFile {

    /** The most one call moves (a segment is viewed as a buffer of at most this many bytes). */
    static final int MAX_TRANSFER = 1 << 30;

    private final FileChannel channel;
    private final Path path;
    private final Alignment alignment;

    private NioFile(FileChannel channel, Path path, Alignment alignment) {
        this.channel = channel;
        this.path = path;
        this.alignment = alignment;
    }

    /** Opens {@code path} on the blocking pool; the JDK's exceptions become {@link ErrnoException}s ({@link NioErrno}). */
    static NioFile open(Path path, OpenSpec spec) throws IOException {
        Set<OpenOption> options = new HashSet<>();
        if (spec.read()) {
            options.add(StandardOpenOption.READ);
        }
        if (spec.write()) {
            options.add(StandardOpenOption.WRITE);
        }
        if (spec.append()) {
            options.add(StandardOpenOption.APPEND);
        }
        if (spec.createNew()) {
            options.add(StandardOpenOption.CREATE_NEW);
        } else if (spec.create()) {
            options.add(StandardOpenOption.CREATE);
        }
        if (spec.truncate()) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (spec.direct()) {
            options.add(com.sun.nio.file.ExtendedOpenOption.DIRECT);
        }
        return Blocking.run("open " + path, () -> {
            FileChannel c;
            try {
                c = FileChannel.open(path, options);
            } catch (IOException | UnsupportedOperationException e) {
                throw errno("open " + path, e);
            }
            try {
                Alignment a = null;
                if (spec.direct()) {
                    int block = (int) Files.getFileStore(path).getBlockSize();
                    a = new Alignment(block, block, "the file store's block size (FileStore.getBlockSize), "
                            + "which the JDK's direct I/O requires");
                }
                return new NioFile(c, path, a);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw errno("open " + path + " (its direct I/O block size)", e);
            }
        });
    }

    private static ErrnoException errno(String what, Throwable e) {
        if (e instanceof UnsupportedOperationException) {
            return new ErrnoException(what + " failed: EINVAL (" + e.getMessage() + ")", Errno.EINVAL, e);
        }
        return NioErrno.errnoException(what, e);
    }

    /** A call on the channel, on the blocking pool: its count, or {@code -errno} for an I/O error. */
    @FunctionalInterface
    private interface ChannelCall {
        long call() throws IOException;
    }

    private long run(String what, ChannelCall call) throws IOException {
        if (IoDriver.current(what).failure() instanceof IOException failed) {
            throw new DriverFailedException(failed); // the runtime's I/O failed: every operation fails, files too
        }
        return Blocking.run(what, () -> {
            try {
                return call.call();
            } catch (IOException e) {
                return (long) -NioErrno.errno(e);
            }
        });
    }

    /** The segment as a buffer of at most {@link #MAX_TRANSFER} bytes. */
    private static ByteBuffer buffer(MemorySegment segment) {
        return segment.byteSize() > MAX_TRANSFER ? segment.asSlice(0, MAX_TRANSFER).asByteBuffer() : segment.asByteBuffer();
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.isDirect() && !sharable(MemorySegment.ofBuffer(dst))) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.min(dst.remaining(), COPY_CHUNK));
            int n = read(bytes, offset);
            dst.put(bytes.flip()); // on the task's thread, which may use the memory
            return n;
        }
        return (int) run("read", () -> {
            int n = channel.read(dst, offset);
            return n < 0 ? 0 : n; // the JDK's -1 at end of file: 0, as the kernel reports it
        });
    }

    @Override
    public int read(MemorySegment dst, long offset) throws IOException {
        if (dst.byteSize() == 0) {
            return 0;
        }
        if (!viewable(dst) || !sharable(dst)) {
            // heap memory of longs, ints, ... (no buffer views it), or memory only this thread may
            // use (a confined arena's): read into bytes on the pool, copy here
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(dst.byteSize(), COPY_CHUNK));
            int n = read(bytes, offset);
            if (n > 0) {
                MemorySegment.copy(MemorySegment.ofArray(bytes.array()), 0, dst, 0, n);
            }
            return n;
        }
        return read(buffer(dst), offset);
    }

    /** The most a read or write through a copy moves in one call. */
    private static final int COPY_CHUNK = 64 * 1024;

    /** A thread that is not the caller's: a confined arena's memory is not accessible by it. */
    private static final Thread ELSEWHERE = Thread.ofPlatform().unstarted(() -> { });

    /** Whether a {@link ByteBuffer} can view the segment: native memory, or heap memory of a {@code byte[]}. */
    private static boolean viewable(MemorySegment s) {
        return s.heapBase().map(base -> base instanceof byte[]).orElse(true);
    }

    /** Whether a blocking-pool thread may use the memory (not a confined arena's). */
    private static boolean sharable(MemorySegment s) {
        return s.isAccessibleBy(ELSEWHERE);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
        if (!src.hasRemaining()) {
            return 0;
        }
        if (src.isDirect() && !sharable(MemorySegment.ofBuffer(src))) {
            byte[] bytes = new byte[Math.min(src.remaining(), COPY_CHUNK)];
            src.get(src.position(), bytes); // copied here, on the task's thread; the position moves by what was written
            int n = write(ByteBuffer.wrap(bytes), offset);
            if (n > 0) {
                src.position(src.position() + n);
            }
            return n;
        }
        return (int) run("write", () -> offset < 0 ? channel.write(src) : channel.write(src, offset));
    }

    @Override
    public int write(MemorySegment src, long offset) throws IOException {
        if (src.byteSize() == 0) {
            return 0;
        }
        if (!viewable(src) || !sharable(src)) {
            byte[] bytes = src.asSlice(0, Math.min(src.byteSize(), COPY_CHUNK)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return write(ByteBuffer.wrap(bytes), offset);
        }
        return write(buffer(src), offset);
    }

    /** @throws UnsupportedOperationException always: registered regions are io_uring's */
    @Override
    public int readRegion(int slot, int generation, long regionOffset, int length, long fileOffset) {
        throw noRegions();
    }

    /** @throws UnsupportedOperationException always: registered regions are io_uring's */
    @Override
    public int writeRegion(int slot, int generation, long regionOffset, int length, long fileOffset) {
        throw noRegions();
    }

    /** @throws UnsupportedOperationException always: registered files are io_uring's */
    @Override
    public boolean register() {
        throw new UnsupportedOperationException("registered files need the io_uring backend; this runtime uses NIO"
                + " (its file operations work without registering)");
    }

    @Override
    public boolean isRegistered() {
        return false;
    }

    private static UnsupportedOperationException noRegions() {
        return new UnsupportedOperationException("registered regions need the io_uring backend; this runtime uses NIO"
                + " (read and write the region's memory as a MemorySegment instead)");
    }

    @Override
    public int sync(boolean dataOnly) throws IOException {
        return (int) run(dataOnly ? "fdatasync" : "fsync", () -> {
            channel.force(!dataOnly);
            return 0;
        });
    }

    @Override
    public long size() throws IOException {
        return run("size", channel::size);
    }

    @Override
    public long transferTo(long offset, long length, SocketHandle socket, long timeoutNanos) throws IOException {
        Objects.requireNonNull(socket, "socket");
        if (!(socket instanceof NioSocket s)) {
            throw new IllegalArgumentException("transferTo on the NIO backend was given " + socket
                    + "; sockets work only with drivers of the backend that made them");
        }
        SocketChannel target = s.stream("transferTo");
        long sent = 0;
        long stalledSince = 0; // when the socket last stopped taking bytes; 0 while it takes them
        while (sent < length) {
            long from = offset + sent;
            long want = length - sent;
            // On the blocking pool, whose threads are never interrupted: an interrupt of a thread
            // in a FileChannel call would close the channel. The socket is non-blocking: a full
            // send buffer makes sendfile return 0 at once.
            long[] result = Blocking.run("transferTo", () -> {
                try {
                    if (from >= channel.size()) {
                        return new long[] {0, 1}; // end of file
                    }
                    return new long[] {channel.transferTo(from, want, target), 0};
                } catch (IOException e) {
                    return new long[] {-NioErrno.errno(e), 0};
                }
            });
            long n = result[0];
            if (result[1] == 1) {
                break;
            }
            if (n < 0) {
                int errno = (int) -n;
                boolean socketSide = channel.isOpen() && socketErrno(errno);
                throw new TransferException(socketSide ? "transferTo to " + s : "transferTo from " + path
                        + (channel.isOpen() ? "" : " (closed)"), errno, socketSide, sent, null);
            }
            if (n > 0) {
                sent += n;
                stalledSince = 0;
                continue;
            }
            long now = System.nanoTime();
            if (stalledSince == 0) {
                stalledSince = now;
            } else if (timeoutNanos >= 0 && now - stalledSince >= timeoutNanos) {
                throw new TransferException("transferTo to " + s + ": the socket took nothing for "
                        + timeoutNanos / 1_000_000 + " ms", Errno.ETIMEDOUT, true, sent, null);
            }
            long left = timeoutNanos < 0 ? IoDriver.NO_TIMEOUT : Math.max(0, timeoutNanos - (now - stalledSince));
            int w = awaitWritable(s, left);
            if (w < 0) {
                throw new TransferException("transferTo to " + s, -w, true, sent, null);
            }
        }
        return sent;
    }

    /**
     * Whether an errno of {@code sendfile(2)} comes from the socket it writes to (the peer went
     * away, the connection broke); any other ({@code EISDIR}, {@code EIO}, {@code EINVAL}, ...)
     * is the file's, as a {@code SPLICE} on io_uring reports it.
     */
    private static boolean socketErrno(int errno) {
        return switch (errno) {
            case Errno.EPIPE, Errno.ECONNRESET, Errno.ECONNABORTED, Errno.ENOTCONN, Errno.ETIMEDOUT,
                 Errno.EHOSTUNREACH, Errno.ENETUNREACH -> true;
            default -> false;
        };
    }

    /** Parks until the socket can take more bytes (or closes), at most {@code timeoutNanos}: 0, or {@code -errno}. */
    private static int awaitWritable(NioSocket s, long timeoutNanos) throws IOException {
        boolean[] waited = {false};
        return (int) NioWaiter.transfer(s, NioSocket.WRITERS, SelectionKey.OP_WRITE, timeoutNanos,
                "transferTo", () -> {
                    if (waited[0]) {
                        return 0; // woken: try the transfer again
                    }
                    waited[0] = true;
                    return NioWaiter.WOULD_BLOCK;
                });
    }

    @Override
    public Alignment alignment() {
        return alignment;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a file channel's close reports nothing a caller could act on
        }
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public String toString() {
        return "NIO file " + path + (isClosed() ? " (closed)" : "");
    }
}

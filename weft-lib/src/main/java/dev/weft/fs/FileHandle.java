package dev.weft.fs;

import dev.weft.io.IoDriver;
import dev.weft.io.OpenFile;
import dev.weft.io.OpenSpec;
import dev.weft.io.StreamSockets;
import dev.weft.net.NetException;
import dev.weft.net.TcpStream;
import dev.weft.runtime.RegionId;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;

/**
 * An open file, used from weft tasks with positional, blocking-style calls that park the task,
 * not the worker. On io_uring every call is one SQE on the current worker's ring, submitted in a
 * batch with the other tasks' I/O ({@code OPENAT}, {@code READ}, {@code WRITE},
 * {@code READ_FIXED}/{@code WRITE_FIXED} on registered regions, {@code FSYNC}, {@code STATX},
 * {@code SPLICE}); on the NIO backend it is a {@link java.nio.channels.FileChannel} call on the
 * runtime's bounded blocking pool ({@link dev.weft.task.Task#blocking}).
 *
 * <h2>Reads and writes</h2>
 * Every transfer names its file offset; a handle has no position, so tasks may share one and
 * read or write at different offsets at the same time. A read returns what the kernel returned:
 * fewer bytes than asked is not an error (a heap buffer moves at most 64 KiB per call on
 * io_uring, through a native staging buffer), and the end of the file is explicit: -1.
 * {@link #readFully} and {@link #writeAll} loop. A {@link ByteBuffer}'s position advances by the
 * count, as with channels; a direct buffer or a native {@link MemorySegment} goes to the kernel
 * as it is.
 *
 * <h2>Errors</h2>
 * A failure of the kernel's is a typed {@link IOException} naming the path, the operation and the
 * errno: {@link java.nio.file.NoSuchFileException} ({@code ENOENT}),
 * {@link java.nio.file.FileAlreadyExistsException} ({@code EEXIST}),
 * {@link java.nio.file.AccessDeniedException} ({@code EACCES}, {@code EPERM}), else
 * {@link FileException} with {@link FileException#errno()}. Bad input fails before anything is
 * submitted, naming the value: a negative offset or length ({@link IllegalArgumentException}), a
 * read on a handle opened without {@link FileOption#READ}
 * ({@link NonReadableChannelException}), a write without {@link FileOption#WRITE}
 * ({@link NonWritableChannelException}), a misaligned {@link FileOption#DIRECT} transfer
 * ({@link IllegalArgumentException} naming the value and the alignment), a call on a closed
 * handle ({@link FileClosedException}).
 *
 * <h2>Threads, cancellation, closing</h2>
 * Every call must come from a weft task; from another thread it throws
 * {@link IllegalStateException}. A task cancelled while it waits gets either the operation's
 * result (a file operation that has started runs to its end; the task's interrupt stays set) or
 * {@link java.io.InterruptedIOException} (it had not started); the handle stays open either way.
 * {@link #close()} while other tasks' operations are in flight lets them finish: the descriptor
 * is closed once the last one has completed, so its number is never reused under them.
 *
 * <pre>{@code
 * try (FileHandle f = FileHandle.open(path, FileOption.WRITE, FileOption.CREATE, FileOption.TRUNCATE)) {
 *     f.writeAll(ByteBuffer.wrap("hello, file".getBytes(StandardCharsets.UTF_8)), 0);
 *     f.fdatasync();
 * }
 * try (FileHandle f = FileHandle.open(path, FileOption.READ)) {
 *     ByteBuffer buf = ByteBuffer.allocate((int) f.size());
 *     f.readFully(buf, 0);
 *     System.out.println(StandardCharsets.UTF_8.decode(buf.flip())); // hello, file
 * }
 * }</pre>
 */
public final class FileHandle implements AutoCloseable {

    private final OpenFile file;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final DirectAlignment alignment;

    private FileHandle(OpenFile file, Path path, OpenSpec spec) {
        this.file = file;
        this.path = path;
        this.readable = spec.read();
        this.writable = spec.write() || spec.append();
        this.append = spec.append();
        OpenFile.Alignment a = file.alignment();
        this.alignment = a == null ? null : new DirectAlignment(a.memory(), a.offset(), a.source());
    }

    /**
     * Opens the file at {@code path}, parking the task while the kernel opens it. With no
     * {@link FileOption#READ}, {@link FileOption#WRITE} or {@link FileOption#APPEND} the file is
     * opened for reading. A created file gets mode {@code rw-rw-rw-} less the process's umask.
     *
     * @throws java.nio.file.NoSuchFileException        when the file (or a directory on its path)
     *                                                  does not exist and is not to be created
     * @throws java.nio.file.FileAlreadyExistsException with {@link FileOption#CREATE_NEW}, when it exists
     * @throws java.nio.file.AccessDeniedException      when permissions forbid the access
     * @throws FileException                            for any other errno ({@code EISDIR},
     *                                                  {@code EINVAL} for {@code DIRECT} on a file
     *                                                  system without direct I/O, ...)
     * @throws IllegalArgumentException                 for a combination of options that cannot
     *                                                  go together, or a path of another file system
     * @throws IllegalStateException                    when not called from a weft task
     */
    public static FileHandle open(Path path, FileOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException("FileHandle opens files of the default file system; " + path
                    + " belongs to " + path.getFileSystem());
        }
        OpenSpec spec = spec(options);
        IoDriver io = IoDriver.current("FileHandle.open");
        try {
            return new FileHandle(io.openFile(path, spec), path, spec);
        } catch (ErrnoException e) {
            IOException typed = FileErrors.of("open" + describe(spec), path, e.errno());
            typed.initCause(e);
            throw typed;
        }
    }

    private static OpenSpec spec(FileOption... options) {
        EnumSet<FileOption> set = EnumSet.noneOf(FileOption.class);
        for (FileOption o : options) {
            set.add(Objects.requireNonNull(o, "an option is null"));
        }
        boolean append = set.contains(FileOption.APPEND);
        boolean write = set.contains(FileOption.WRITE);
        boolean read = set.contains(FileOption.READ) || !write && !append;
        if (append && set.contains(FileOption.READ)) {
            throw new IllegalArgumentException("READ and APPEND cannot go together (as in FileChannel): open one handle"
                    + " to read and another to append");
        }
        if (append && set.contains(FileOption.TRUNCATE)) {
            throw new IllegalArgumentException("APPEND and TRUNCATE cannot go together: open with WRITE, TRUNCATE to"
                    + " empty the file, then with APPEND");
        }
        for (FileOption needsWrite : new FileOption[] {FileOption.CREATE, FileOption.CREATE_NEW, FileOption.TRUNCATE}) {
            if (set.contains(needsWrite) && !write && !append) {
                throw new IllegalArgumentException(needsWrite + " needs WRITE" + (needsWrite == FileOption.TRUNCATE ? ""
                        : " or APPEND") + ": a file opened only for reading is never " + (needsWrite == FileOption.TRUNCATE
                        ? "truncated" : "created"));
            }
        }
        return new OpenSpec(read, write, append, set.contains(FileOption.CREATE), set.contains(FileOption.CREATE_NEW),
                set.contains(FileOption.TRUNCATE), set.contains(FileOption.DIRECT));
    }

    private static String describe(OpenSpec s) {
        StringBuilder b = new StringBuilder(" (");
        b.append(s.read() && (s.write() || s.append()) ? "read-write" : s.read() ? "read" : "write");
        if (s.append()) {
            b.append(", append");
        }
        if (s.createNew()) {
            b.append(", create-new");
        } else if (s.create()) {
            b.append(", create");
        }
        if (s.truncate()) {
            b.append(", truncate");
        }
        if (s.direct()) {
            b.append(", direct");
        }
        return b.append(')').toString();
    }

    // -----------------------------------------------------------------------------------------
    // Checks

    private void checkOpen(String what) throws FileClosedException {
        if (file.isClosed()) {
            throw new FileClosedException(what + " on " + this + " failed: the file handle is closed");
        }
    }

    private static void checkOffset(long offset, String what) {
        if (offset < 0) {
            throw new IllegalArgumentException(what + " offset " + offset + " is negative; file offsets start at 0");
        }
    }

    private void checkReadable(String what) {
        if (!readable) {
            throw new NotReadable(what + " on " + this + ": the handle was opened without READ; open it with"
                    + " FileOption.READ");
        }
    }

    private void checkWritable(String what) {
        if (!writable) {
            throw new NotWritable(what + " on " + this + ": the handle was opened without WRITE; open it with"
                    + " FileOption.WRITE (or APPEND)");
        }
        if (append) {
            throw new IllegalStateException(what + " on " + this + ": the handle was opened with APPEND, so every write"
                    + " goes to the end of the file whatever its offset; call append(src), or open without APPEND");
        }
    }

    /**
     * Checks a {@link FileOption#DIRECT} transfer of {@code length} bytes at {@code offset} from
     * or to memory at {@code address} (-1: heap memory, copied through aligned native memory).
     */
    private void checkDirect(String what, long address, long offset, long length) {
        if (alignment == null) {
            return;
        }
        if (address >= 0 && address % alignment.memory() != 0) {
            throw new IllegalArgumentException(what + " on " + this + " (DIRECT): the buffer's address 0x"
                    + Long.toHexString(address) + " is not a multiple of " + alignment.memory()
                    + ", the memory alignment the file needs (" + alignment.source() + "); allocate it aligned,"
                    + " e.g. Arena.allocate(size, " + alignment.memory() + ")");
        }
        if (offset >= 0 && offset % alignment.offset() != 0) {
            throw new IllegalArgumentException(what + " on " + this + " (DIRECT): the file offset " + offset
                    + " is not a multiple of " + alignment.offset() + ", the offset alignment the file needs ("
                    + alignment.source() + ")");
        }
        if (length % alignment.offset() != 0) {
            throw new IllegalArgumentException(what + " on " + this + " (DIRECT): the length " + length
                    + " is not a multiple of " + alignment.offset() + ", the length alignment the file needs ("
                    + alignment.source() + ")");
        }
    }

    private static long address(ByteBuffer b) {
        return b.isDirect() ? MemorySegment.ofBuffer(b).address() : -1;
    }

    private static long address(MemorySegment s) {
        return s.isNative() ? s.address() : -1;
    }

    private IoDriver io(String what) throws FileClosedException {
        IoDriver io = IoDriver.current("FileHandle." + what);
        checkOpen(what);
        return io;
    }

    /** The exception for an operation that ended with {@code errno}: closed meanwhile, or the typed one. */
    private IOException failure(String what, int errno) {
        if (errno == Errno.EBADF && file.isClosed()) {
            return new FileClosedException(what + " on " + this + " failed: the file handle was closed meanwhile");
        }
        return FileErrors.of(what, path, errno);
    }

    // -----------------------------------------------------------------------------------------
    // Reads

    /**
     * Reads bytes from the file at {@code offset} into {@code dst} from its position, advancing
     * it: the number read, which may be fewer than {@code dst.remaining()}; -1 when {@code offset}
     * is at or past the end of the file; 0 when {@code dst} has no room.
     *
     * @throws IllegalArgumentException    for a negative offset, a read-only buffer, or a
     *                                     misaligned {@link FileOption#DIRECT} transfer
     * @throws NonReadableChannelException when the handle was opened without {@link FileOption#READ}
     * @throws FileClosedException         when the handle is closed
     */
    public int read(ByteBuffer dst, long offset) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkOffset(offset, "read");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer: pass a writable one");
        }
        checkReadable("read");
        io("read");
        if (!dst.hasRemaining()) {
            return 0;
        }
        checkDirect("read", address(dst), offset, dst.remaining());
        return readResult(file.read(dst, offset), "read at offset " + offset);
    }

    /** Reads into memory at {@code offset}: as {@link #read(ByteBuffer, long)}. */
    public int read(MemorySegment dst, long offset) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkOffset(offset, "read");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment: pass a writable one");
        }
        checkReadable("read");
        io("read");
        if (dst.byteSize() == 0) {
            return 0;
        }
        checkDirect("read", address(dst), offset, dst.byteSize());
        return readResult(file.read(dst, offset), "read at offset " + offset);
    }

    private int readResult(int r, String what) throws IOException {
        if (r > 0) {
            return r;
        }
        if (r == 0) {
            return -1;
        }
        throw failure(what, -r);
    }

    /**
     * Reads from {@code offset} until {@code dst} is full.
     *
     * @throws EOFException if the file ends first; the bytes read stay in {@code dst}, its
     *                      position after them
     */
    public void readFully(ByteBuffer dst, long offset) throws IOException {
        checkOffset(offset, "readFully");
        long at = offset;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new EOFException("readFully on " + this + " reached the end of the file at offset " + at + " with "
                        + dst.remaining() + " bytes still expected");
            }
            at += n;
        }
    }

    /**
     * Reads from {@code offset} until the memory is full.
     *
     * @throws EOFException if the file ends first; the bytes read stay at the start of {@code dst}
     */
    public void readFully(MemorySegment dst, long offset) throws IOException {
        checkOffset(offset, "readFully");
        long done = 0;
        long n = dst.byteSize();
        while (done < n) {
            int r = read(dst.asSlice(done), offset + done);
            if (r < 0) {
                throw new EOFException("readFully on " + this + " reached the end of the file at offset "
                        + (offset + done) + " with " + (n - done) + " bytes still expected");
            }
            done += r;
        }
    }

    /**
     * Reads up to {@code length} bytes of the file at {@code fileOffset} into a registered region
     * at {@code regionOffset} ({@code IORING_OP_READ_FIXED}: the region's pages are pinned once,
     * at registration, not per transfer): the number read, or -1 at the end of the file. The
     * region stays in use, and its unregister waits, until the read completes.
     *
     * @throws UnsupportedOperationException on the NIO backend
     * @throws IllegalArgumentException      for an id that is not registered, a range outside the
     *                                       region, a negative offset or length, or a misaligned
     *                                       {@link FileOption#DIRECT} transfer
     */
    public int read(RegionId region, long regionOffset, int length, long fileOffset) throws IOException {
        Objects.requireNonNull(region, "region");
        checkRange(regionOffset, length, fileOffset, "read");
        checkReadable("read");
        io("read");
        if (length == 0) {
            return 0;
        }
        checkDirect("read", -1, fileOffset, length); // the region's address is checked once it is acquired
        return readResult(file.readRegion(region.slot(), region.generation(), regionOffset, length, fileOffset),
                "read at offset " + fileOffset + " into region " + region);
    }

    private static void checkRange(long regionOffset, int length, long fileOffset, String what) {
        checkOffset(fileOffset, what + " file");
        if (regionOffset < 0) {
            throw new IllegalArgumentException(what + " region offset " + regionOffset + " is negative");
        }
        if (length < 0) {
            throw new IllegalArgumentException(what + " length " + length + " is negative");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Writes

    /**
     * Writes bytes of {@code src} from its position to the file at {@code offset}, advancing the
     * position: the number written, at least one unless {@code src} is empty (then 0).
     *
     * @throws IllegalArgumentException     for a negative offset or a misaligned
     *                                      {@link FileOption#DIRECT} transfer
     * @throws NonWritableChannelException  when the handle was opened without {@link FileOption#WRITE}
     * @throws IllegalStateException        when it was opened with {@link FileOption#APPEND}
     *                                      (use {@link #append(ByteBuffer)})
     * @throws FileClosedException          when the handle is closed
     */
    public int write(ByteBuffer src, long offset) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOffset(offset, "write");
        checkWritable("write");
        io("write");
        if (!src.hasRemaining()) {
            return 0;
        }
        checkDirect("write", address(src), offset, src.remaining());
        return writeResult(file.write(src, offset), "write at offset " + offset);
    }

    /** Writes bytes of the memory to the file at {@code offset}: as {@link #write(ByteBuffer, long)}. */
    public int write(MemorySegment src, long offset) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOffset(offset, "write");
        checkWritable("write");
        io("write");
        if (src.byteSize() == 0) {
            return 0;
        }
        checkDirect("write", address(src), offset, src.byteSize());
        return writeResult(file.write(src, offset), "write at offset " + offset);
    }

    private int writeResult(int r, String what) throws IOException {
        if (r > 0) {
            return r;
        }
        if (r == 0) {
            // the kernel wrote nothing and said nothing: report it rather than loop on it
            throw new FileException(path.toString(), what + " wrote no byte", 0);
        }
        throw failure(what, -r);
    }

    /** Writes all of {@code src} to the file from {@code offset}. */
    public void writeAll(ByteBuffer src, long offset) throws IOException {
        checkOffset(offset, "writeAll");
        long at = offset;
        while (src.hasRemaining()) {
            at += write(src, at);
        }
    }

    /** Writes all of the memory to the file from {@code offset}. */
    public void writeAll(MemorySegment src, long offset) throws IOException {
        checkOffset(offset, "writeAll");
        long done = 0;
        long n = src.byteSize();
        while (done < n) {
            done += write(src.asSlice(done), offset + done);
        }
    }

    /**
     * Appends all of {@code src} (from its position, which advances) at the end of the file,
     * on a handle opened with {@link FileOption#APPEND}: each kernel write lands at the end as it
     * is then, atomically with respect to other appenders. Returns the number written.
     *
     * @throws IllegalStateException when the handle was opened without {@link FileOption#APPEND}
     */
    public int append(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        checkAppend();
        int total = 0;
        while (src.hasRemaining()) {
            io("append");
            checkDirect("append", address(src), -1, src.remaining());
            total += writeResult(file.write(src, -1), "append");
        }
        return total;
    }

    /** Appends all of the memory at the end of the file: as {@link #append(ByteBuffer)}. */
    public long append(MemorySegment src) throws IOException {
        Objects.requireNonNull(src, "src");
        checkAppend();
        long done = 0;
        long n = src.byteSize();
        while (done < n) {
            io("append");
            MemorySegment rest = src.asSlice(done);
            checkDirect("append", address(rest), -1, rest.byteSize());
            done += writeResult(file.write(rest, -1), "append");
        }
        return done;
    }

    private void checkAppend() {
        if (!append) {
            throw new IllegalStateException("append on " + this + ": the handle was opened without APPEND; write at"
                    + " size() instead, or open with FileOption.APPEND");
        }
    }

    /**
     * Writes {@code length} bytes of a registered region from {@code regionOffset} to the file at
     * {@code fileOffset} ({@code IORING_OP_WRITE_FIXED}): the number written. The region stays in
     * use, and its unregister waits, until the write completes.
     *
     * @throws UnsupportedOperationException on the NIO backend
     * @throws IllegalArgumentException      as {@link #read(RegionId, long, int, long)}
     */
    public int write(RegionId region, long regionOffset, int length, long fileOffset) throws IOException {
        Objects.requireNonNull(region, "region");
        checkRange(regionOffset, length, fileOffset, "write");
        checkWritable("write");
        io("write");
        if (length == 0) {
            return 0;
        }
        checkDirect("write", -1, fileOffset, length); // the region's address is checked once it is acquired
        return writeResult(file.writeRegion(region.slot(), region.generation(), regionOffset, length, fileOffset),
                "write at offset " + fileOffset + " from region " + region);
    }

    // -----------------------------------------------------------------------------------------
    // Metadata and durability

    /** Flushes the file's data and metadata to the device ({@code fsync(2)}). */
    public void fsync() throws IOException {
        io("fsync");
        int r = file.sync(false);
        if (r < 0) {
            throw failure("fsync", -r);
        }
    }

    /** Flushes the file's data, and the metadata needed to read it back ({@code fdatasync(2)}). */
    public void fdatasync() throws IOException {
        io("fdatasync");
        int r = file.sync(true);
        if (r < 0) {
            throw failure("fdatasync", -r);
        }
    }

    /** The file's size in bytes, as the kernel sees it now. */
    public long size() throws IOException {
        io("size");
        long r = file.size();
        if (r < 0) {
            throw failure("size", (int) -r);
        }
        return r;
    }

    // -----------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends up to {@code length} bytes of the file from {@code offset} to {@code target}, without
     * copying them through the JVM's heap: on io_uring with {@code SPLICE} through a pipe (the
     * page-cache pages move to the socket), on NIO with {@link java.nio.channels.FileChannel#transferTo}
     * ({@code sendfile(2)}). Returns the number sent: {@code length}, or fewer when the file ends
     * first (0 when {@code offset} is at or past its end). Waits while the socket's send buffer is
     * full, each wait at most the stream's {@linkplain TcpStream#writeTimeout write timeout}
     * ({@link dev.weft.net.IoTimeoutException} when it passes).
     *
     * @throws IllegalArgumentException    for a negative offset or length
     * @throws NonReadableChannelException when the handle was opened without {@link FileOption#READ}
     * @throws FileClosedException         when the handle is closed
     * @throws NetException                when the socket fails ({@link dev.weft.net.BrokenPipeException},
     *                                     {@link dev.weft.net.ConnectionResetException}, ...); the
     *                                     typed file exceptions when the file does
     */
    public long transferTo(long offset, long length, TcpStream target) throws IOException {
        Objects.requireNonNull(target, "target");
        checkOffset(offset, "transferTo");
        if (length < 0) {
            throw new IllegalArgumentException("transferTo length " + length + " is negative");
        }
        checkReadable("transferTo");
        io("transferTo");
        if (!target.isOpen()) {
            throw new TargetClosed("transferTo from " + this + " to " + target + " failed: the stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        try {
            return file.transferTo(offset, length, StreamSockets.of(target), StreamSockets.writeTimeoutNanos(target));
        } catch (OpenFile.TransferException e) {
            IOException typed = e.socketSide()
                    ? NetException.of("transferTo from " + path + " to " + target + " (after " + e.transferred()
                            + " bytes)", e.errno())
                    : failure("transferTo at offset " + offset + " (after " + e.transferred() + " bytes sent)", e.errno());
            typed.initCause(e);
            throw typed;
        }
    }

    // -----------------------------------------------------------------------------------------
    // Registration

    /**
     * Registers the file with the runtime's rings ({@code IORING_REGISTER_FILES}): its descriptor
     * goes into the same slot of every worker's registered-file table, and from then on its
     * transfers name the slot ({@code IOSQE_FIXED_FILE}), so the kernel does not look the
     * descriptor up, and count a reference to the file, for each one. It pays for a file that
     * takes many small transfers. The slot is given back when the handle closes, after its last
     * operation; a registration is named by its slot and a generation that moves on when the slot
     * is given back, so it can never name a file registered later in the same slot. The slot is
     * the calling task's runtime's: tasks of another runtime that use the handle name its
     * descriptor, as for an unregistered file. Idempotent.
     *
     * @return this handle
     * @throws UnsupportedOperationException on the NIO backend, or on a kernel without tables of
     *                                       empty file slots (before Linux 5.19)
     * @throws IllegalStateException         when the table's 1024 slots are taken
     * @throws FileClosedException           when the handle is closed
     */
    public FileHandle register() throws IOException {
        io("register");
        if (!file.register()) {
            throw new FileClosedException("register on " + this + " failed: the file handle is closed");
        }
        return this;
    }

    /** Whether the file is registered with the runtime's rings ({@link #register()}). */
    public boolean isRegistered() {
        return file.isRegistered();
    }

    // -----------------------------------------------------------------------------------------
    // The handle

    /** The path the file was opened with. */
    public Path path() {
        return path;
    }

    /**
     * What every transfer must respect on a handle opened with {@link FileOption#DIRECT} (found
     * at open); empty for a handle opened without it.
     */
    public Optional<DirectAlignment> directAlignment() {
        return Optional.ofNullable(alignment);
    }

    /** Whether the handle is open. */
    public boolean isOpen() {
        return !file.isClosed();
    }

    /**
     * Closes the handle. Operations other tasks have in flight complete first (the descriptor is
     * closed after the last); later calls throw {@link FileClosedException}. Idempotent.
     */
    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return "FileHandle(" + path + (file.isClosed() ? ", closed" : "") + ")";
    }

    /** A transfer to a closed stream: the JDK's type, with a message. */
    private static final class TargetClosed extends java.nio.channels.ClosedChannelException {
        private final String message;

        TargetClosed(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    /** A read on a handle opened without READ: the JDK's type, with a message. */
    private static final class NotReadable extends NonReadableChannelException {
        private final String message;

        NotReadable(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    /** A write on a handle opened without WRITE: the JDK's type, with a message. */
    private static final class NotWritable extends NonWritableChannelException {
        private final String message;

        NotWritable(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}

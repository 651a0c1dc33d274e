package dev.weft.io;

import dev.weft.sched.CarrierPin;
import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A file on the io_uring backend: a file descriptor, and its operations as SQEs on the driver of
 * the worker the calling task runs on ({@code READ}, {@code WRITE}, {@code READ_FIXED},
 * {@code WRITE_FIXED}, {@code FSYNC}, {@code STATX}, {@code SPLICE}, and {@code OPENAT} to open
 * it). Each operation takes an SQE, a slot of the driver's {@link OperationTable} and parks, as
 * the socket operations of {@link UringDriver} do; a heap buffer goes through one of the
 * driver's {@link StagingBuffers} (so one operation moves at most
 * {@link StagingBuffers#MAX_LENGTH} bytes of it: a short count, which the caller loops on).
 *
 * <h2>Closing while operations are pending</h2>
 * As for {@link UringSocket}: an operation takes a use of the descriptor ({@link DescriptorUses})
 * before it writes its SQE and gives it back after its CQE, and the descriptor is closed by
 * whoever leaves it closed with no use: {@link #close()} when nothing is in flight, else the last
 * operation. So the number is never reused under an SQE that names it. (A file operation is not
 * ended by a close, unlike a receive by a socket's shutdown: it runs to its end.)
 *
 * <h2>Opening</h2>
 * {@code IORING_OP_OPENAT} where the kernel has it ({@link dev.weft.uring.KernelFeatures}, Linux
 * 5.6), else {@code openat(2)} on the runtime's blocking pool ({@link Blocking}); either way the
 * task parks meanwhile, and a task cancelled after the kernel opened the file still gets it (its
 * interrupt set), so no descriptor is dropped. For {@code O_DIRECT} the alignment is read at open
 * ({@link #directAlignment}).
 */
final class UringFile implements OpenFile {

    /** The most one operation moves: 1 GiB, a multiple of every {@code O_DIRECT} alignment. */
    static final int MAX_TRANSFER = 1 << 30;
    /** Bytes one splice moves through the pipe: a default pipe's capacity (16 pages). */
    static final int SPLICE_CHUNK = 64 * 1024;
    /** Where in a staging buffer {@code STATX} writes its {@code struct statx} (the path, "", is at 0). */
    private static final int STATX_AT = 256;

    final int fd;
    private final Path path;
    private final Alignment alignment;
    private final DescriptorUses uses = new DescriptorUses();
    /** The registered-file table holding the descriptor, and its id there; null and -1 until {@link #register}. */
    private volatile FileTable table;
    private volatile long registration = -1;

    private UringFile(int fd, Path path, Alignment alignment) {
        this.fd = fd;
        this.path = path;
        this.alignment = alignment;
    }

    // -----------------------------------------------------------------------------------------
    // Opening

    /** Opens {@code path}; from a task on an io_uring worker. */
    static UringFile open(Path path, OpenSpec spec) throws IOException {
        byte[] name = Libc.nativePath(path.toAbsolutePath().toString());
        int flags = spec.linuxFlags();
        int fd = kernel().supports(Abi.OP_OPENAT) ? openOnRing(name, flags) : openBlocking(name, flags);
        if (fd < 0) {
            throw new ErrnoException("open " + path, fd);
        }
        try {
            return new UringFile(fd, path, spec.direct() ? directAlignment(fd, path) : null);
        } catch (IOException | RuntimeException | Error e) {
            Libc.close(Libc.errnoState(), fd);
            throw e;
        }
    }

    private static dev.weft.uring.KernelFeatures kernel() {
        return driver().kernel();
    }

    /** The driver of the worker the calling task runs on. */
    private static UringDriver driver() {
        UringDriver d = UringDriver.current();
        if (d == null) {
            throw new IllegalStateException("a file on the io_uring backend must be used from a task of a weft runtime"
                    + " whose I/O is io_uring; the caller is " + Thread.currentThread());
        }
        return d;
    }

    private static int openOnRing(byte[] name, int flags) throws IOException {
        if (name.length > StagingBuffers.MAX_LENGTH) {
            return -Errno.ENAMETOOLONG;
        }
        UringOp op = new UringOp();
        return submit(op, (d, ring, sqe, token) -> {
            op.staging = d.stagingBuffers().acquire(name.length); // the path, until the CQE
            MemorySegment.copy(name, 0, op.staging, JAVA_BYTE, 0, name.length);
            ring.prepare(sqe, Abi.OP_OPENAT, Libc.AT_FDCWD, op.staging.address(), OpenSpec.CREATE_MODE, 0, token);
            ring.setOpFlags(sqe, flags);
        });
    }

    /** Before Linux 5.6: {@code openat(2)} on the blocking pool, run to its end. */
    static int openBlocking(byte[] name, int flags) throws IOException {
        return Blocking.run("open", () -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(name.length);
                MemorySegment.copy(name, 0, p, JAVA_BYTE, 0, name.length);
                return Libc.openat(Libc.newCaptureState(a), Libc.AT_FDCWD, p.address(), flags, OpenSpec.CREATE_MODE);
            }
        });
    }

    /**
     * The alignment {@code O_DIRECT} transfers on {@code fd} need. From {@code statx}'s
     * {@code STATX_DIOALIGN} where the kernel reports it (Linux 6.1; each file system says what
     * it needs); else the logical block size of the device the file is on
     * ({@code /sys/dev/block/MAJ:MIN/queue/logical_block_size}, or its parent's for a
     * partition), for memory, offset and length alike; else the file system's preferred block
     * size ({@code stx_blksize}), which is a multiple of the logical block size and so always
     * enough.
     */
    static Alignment directAlignment(int fd, Path path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment empty = a.allocate(1);
            MemorySegment st = a.allocate(Libc.STATX_BYTES, 8);
            int r = Libc.statx(Libc.newCaptureState(a), fd, empty.address(), Libc.AT_EMPTY_PATH,
                    Libc.STATX_DIOALIGN, st.address());
            if (r < 0) {
                throw new ErrnoException("statx of " + path + " (for its O_DIRECT alignment)", r);
            }
            int mask = st.get(JAVA_INT, Libc.STATX_MASK);
            if ((mask & Libc.STATX_DIOALIGN) != 0) {
                int memory = st.get(JAVA_INT, Libc.STATX_DIO_MEM_ALIGN);
                int offset = st.get(JAVA_INT, Libc.STATX_DIO_OFFSET_ALIGN);
                if (memory > 0 && offset > 0) {
                    return new Alignment(memory, offset, "statx STATX_DIOALIGN");
                }
                throw new ErrnoException("O_DIRECT on " + path + " failed: EINVAL (statx says its file system"
                        + " does not support direct I/O for it; open it without DIRECT)", Errno.EINVAL, null);
            }
            int major = st.get(JAVA_INT, Libc.STATX_DEV_MAJOR);
            int minor = st.get(JAVA_INT, Libc.STATX_DEV_MINOR);
            int logical = logicalBlockSize(major, minor);
            if (logical > 0) {
                return new Alignment(logical, logical, "logical block size of device " + major + ":" + minor);
            }
            int blksize = st.get(JAVA_INT, Libc.STATX_BLKSIZE);
            return new Alignment(blksize, blksize, "file system block size (statx stx_blksize)");
        }
    }

    private static int logicalBlockSize(int major, int minor) {
        Path dev = Path.of("/sys/dev/block", major + ":" + minor);
        for (Path p : new Path[] {dev.resolve("queue/logical_block_size"), dev.resolve("../queue/logical_block_size")}) {
            try {
                return Integer.parseInt(Files.readString(p).strip());
            } catch (IOException | NumberFormatException | SecurityException e) {
                // not a block device of its own (a partition: its parent has the queue), or no sysfs
            }
        }
        return -1;
    }

    // -----------------------------------------------------------------------------------------
    // Submitting

    /** Fills the SQE of an operation on the driver it was taken from. */
    @FunctionalInterface
    private interface Prep {
        void fill(UringDriver d, dev.weft.uring.Ring ring, long sqe, long token) throws IOException;
    }

    /**
     * Takes an SQE and a slot on the current worker's driver, lets {@code prep} fill the SQE, and
     * parks until the CQE: pinned from picking the driver to parking, as {@link UringDriver}'s
     * operations are (see its "Staying on the worker").
     */
    private static int submit(UringOp op, Prep prep) throws IOException {
        return submit(op, IoDriver.NO_TIMEOUT, prep);
    }

    /**
     * As {@link #submit(UringOp, Prep)}, cancelled after {@code timeoutNanos} ({@code -ETIMEDOUT});
     * see {@link UringDriver#awaitCancellingAfter} for why not with a linked timeout.
     */
    private static int submit(UringOp op, long timeoutNanos, Prep prep) throws IOException {
        CarrierPin.enter();
        try {
            UringDriver d = driver();
            long sqe = d.sqeFor(IoDriver.NO_TIMEOUT);
            long token = d.table().track(op);
            try {
                prep.fill(d, d.ring(), sqe, token);
            } catch (IOException | RuntimeException | Error e) {
                // No memory for a staging buffer, say: the SQE goes out as a NOP, whose CQE frees the slot
                d.ring().prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, token);
                d.ring().setFlags(sqe, 0);
                d.ring().setOpFlags(sqe, 0);
                throw e;
            }
            return d.awaitCancellingAfter(op, sqe, token, timeoutNanos);
        } finally {
            CarrierPin.exit();
        }
    }

    /** An operation on the descriptor, while a use keeps it open. */
    @FunctionalInterface
    private interface FileOp {
        long run() throws IOException;
    }

    /** Runs {@code op} holding a use of the descriptor; {@code -EBADF} if the file is closed. */
    private long holding(FileOp op) throws IOException {
        if (!uses.acquire()) {
            return -Errno.EBADF;
        }
        try {
            return op.run();
        } finally {
            release();
        }
    }

    private void release() {
        if (uses.release()) {
            closeDescriptor();
        }
    }

    /** No operation is in flight and none can start: gives the registered slot back, closes the descriptor. */
    private void closeDescriptor() {
        FileTable t = table;
        if (t != null) {
            t.release(registration);
        }
        Libc.close(Libc.errnoState(), fd);
    }

    /**
     * Installs the descriptor in the runtime's registered-file table ({@link FileTable}); from then
     * on operations name its slot. Idempotent.
     *
     * @return false when the file is closed
     */
    public boolean register() throws IOException {
        if (!uses.acquire()) {
            return false;
        }
        try {
            synchronized (this) {
                if (table == null) {
                    FileTable t = driver().group().files();
                    long id;
                    try {
                        id = t.register(fd);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("registering " + this + " was interrupted");
                    }
                    registration = id;
                    table = t; // after the id: closeDescriptor reads the table first
                }
            }
            return true;
        } finally {
            release();
        }
    }

    /** The id of the file's registration ({@link FileTable#id}), or -1 if it was never registered. */
    long registration() {
        return table == null ? -1 : registration;
    }

    @Override
    public boolean isRegistered() {
        FileTable t = table;
        return t != null && t.live(registration);
    }

    /**
     * Names the file in {@code sqe}: its registered slot ({@code IOSQE_FIXED_FILE}) while its
     * registration is live and {@code d}'s ring belongs to the runtime it is registered with,
     * else the descriptor the SQE was prepared with (slot numbers are per runtime: another
     * runtime's slot of the same number holds a file of its own). Called with a use held, so the
     * slot cannot be given back meanwhile.
     */
    private void name(UringDriver d, dev.weft.uring.Ring ring, long sqe) {
        FileTable t = table;
        long id = registration;
        if (t != null && d.group().holds(t) && t.live(id)) {
            ring.sqes().set(JAVA_INT, sqe + Abi.SQE_FD, FileTable.slot(id));
            ring.addFlags(sqe, Abi.SQE_FIXED_FILE);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Operations

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws IOException {
        return transfer(Abi.OP_READ, dst, offset);
    }

    @Override
    public int read(MemorySegment dst, long offset) throws IOException {
        return transfer(Abi.OP_READ, dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset) throws IOException {
        return transfer(Abi.OP_WRITE, src, offset);
    }

    @Override
    public int write(MemorySegment src, long offset) throws IOException {
        return transfer(Abi.OP_WRITE, src, offset);
    }

    /**
     * A {@code READ} into or {@code WRITE} from the buffer's remaining bytes, advancing its
     * position by the count: a direct buffer as it is, a heap one through a staging buffer (a
     * read's CQE handler copies what was read in at the position, a write copies out before the
     * SQE; read-only buffers too).
     */
    private int transfer(int opcode, ByteBuffer b, long offset) throws IOException {
        int want = b.remaining();
        if (want == 0) {
            return 0;
        }
        return (int) holding(() -> {
            UringOp op = new UringOp();
            int r = submit(op, (d, ring, sqe, token) -> {
                long address;
                int n;
                if (b.isDirect()) {
                    op.keepAlive = b;
                    address = MemorySegment.ofBuffer(b).address();
                    n = Math.min(want, MAX_TRANSFER);
                } else {
                    op.staging = d.stagingBuffers().acquire(want);
                    n = Math.min(want, (int) op.staging.byteSize());
                    if (opcode == Abi.OP_READ) {
                        op.heapDst = b;
                    } else {
                        MemorySegment.copy(MemorySegment.ofBuffer(b), 0, op.staging, 0, n);
                    }
                    address = op.staging.address();
                }
                ring.prepare(sqe, opcode, fd, address, n, offset, token);
                name(d, ring, sqe);
            });
            if (r > 0) {
                b.position(b.position() + r);
            }
            return r;
        });
    }

    /**
     * A {@code READ} into or {@code WRITE} from memory: native memory as it is, heap memory (of
     * any array type) through a staging buffer.
     */
    private int transfer(int opcode, MemorySegment m, long offset) throws IOException {
        long want = m.byteSize();
        if (want == 0) {
            return 0;
        }
        boolean read = opcode == Abi.OP_READ;
        return (int) holding(() -> {
            UringOp op = read && !m.isNative() ? new HeapSegmentRead(m) : new UringOp();
            return submit(op, (d, ring, sqe, token) -> {
                long address;
                int n;
                if (m.isNative()) {
                    op.keepAlive = m;
                    address = m.address();
                    n = (int) Math.min(want, MAX_TRANSFER);
                } else {
                    op.staging = d.stagingBuffers().acquire((int) Math.min(want, StagingBuffers.MAX_LENGTH));
                    n = (int) Math.min(want, op.staging.byteSize());
                    if (!read) {
                        MemorySegment.copy(m, 0, op.staging, 0, n);
                    }
                    address = op.staging.address();
                }
                ring.prepare(sqe, opcode, fd, address, n, offset, token);
                name(d, ring, sqe);
            });
        });
    }

    /** A read into heap memory of any array type: the CQE's handler copies from the staging buffer. */
    private static final class HeapSegmentRead extends UringOp {
        private final MemorySegment target;

        HeapSegmentRead(MemorySegment target) {
            this.target = target;
        }

        @Override
        void complete(UringDriver d, int res, int flags) {
            if (staging != null && res > 0) {
                MemorySegment.copy(staging, 0, target, 0, res);
            }
            super.complete(d, res, flags); // releases the staging buffer
        }
    }

    @Override
    public int readRegion(int slot, int generation, long regionOffset, int length, long fileOffset) throws IOException {
        return fixed(Abi.OP_READ_FIXED, slot, generation, regionOffset, length, fileOffset);
    }

    @Override
    public int writeRegion(int slot, int generation, long regionOffset, int length, long fileOffset) throws IOException {
        return fixed(Abi.OP_WRITE_FIXED, slot, generation, regionOffset, length, fileOffset);
    }

    /**
     * {@code READ_FIXED} or {@code WRITE_FIXED} on registered region {@code slot}: the region's use
     * lasts until the CQE, so its unregister waits for the operation.
     */
    private int fixed(int opcode, int slot, int generation, long regionOffset, int length, long fileOffset)
            throws IOException {
        return driver().regions().using(slot, generation, regionOffset, length, region -> {
            if (length == 0) {
                return 0;
            }
            long address = region.address() + regionOffset;
            if (alignment != null && address % alignment.memory() != 0) {
                throw new IllegalArgumentException("transfer on " + this + " (DIRECT): the address 0x"
                        + Long.toHexString(address) + " of region (slot " + slot + ") at offset " + regionOffset
                        + " is not a multiple of " + alignment.memory() + ", the memory alignment the file needs ("
                        + alignment.source() + ")");
            }
            return (int) holding(() -> {
                UringOp op = new UringOp();
                op.keepAlive = region;
                return submit(op, (d, ring, sqe, token) -> {
                    ring.prepare(sqe, opcode, fd, address, length, fileOffset, token);
                    ring.setBufIndex(sqe, slot);
                    name(d, ring, sqe);
                });
            });
        });
    }

    @Override
    public int sync(boolean dataOnly) throws IOException {
        return (int) holding(() -> submit(new UringOp(), (d, ring, sqe, token) -> {
            ring.prepare(sqe, Abi.OP_FSYNC, fd, 0, 0, 0, token); // length 0: the whole file
            ring.setOpFlags(sqe, dataOnly ? Abi.FSYNC_DATASYNC : 0);
            name(d, ring, sqe);
        }));
    }

    @Override
    public long size() throws IOException {
        return holding(() -> {
            if (!kernel().supports(Abi.OP_STATX)) {
                return Blocking.run("statx", () -> {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment empty = a.allocate(1);
                        MemorySegment st = a.allocate(Libc.STATX_BYTES, 8);
                        int r = Libc.statx(Libc.newCaptureState(a), fd, empty.address(), Libc.AT_EMPTY_PATH,
                                Libc.STATX_SIZE, st.address());
                        return r < 0 ? (long) r : st.get(JAVA_LONG, Libc.STATX_SIZE_FIELD);
                    }
                });
            }
            Statx op = new Statx();
            int r = submit(op, (d, ring, sqe, token) -> {
                op.staging = d.stagingBuffers().acquire(STATX_AT + Libc.STATX_BYTES);
                op.staging.set(JAVA_BYTE, 0, (byte) 0); // the path: "" (AT_EMPTY_PATH), until the CQE
                ring.prepare(sqe, Abi.OP_STATX, fd, op.staging.address(), Libc.STATX_SIZE,
                        op.staging.address() + STATX_AT, token); // off is addr2: the statx buffer
                ring.setOpFlags(sqe, Libc.AT_EMPTY_PATH);
            });
            return r < 0 ? r : op.size;
        });
    }

    /** A {@code STATX}: the CQE's handler reads the size before the staging buffer goes back. */
    private static final class Statx extends UringOp {
        long size;

        @Override
        void complete(UringDriver d, int res, int flags) {
            if (staging != null && res >= 0) {
                size = staging.get(JAVA_LONG, STATX_AT + Libc.STATX_SIZE_FIELD);
            }
            super.complete(d, res, flags); // releases the staging buffer; the done write publishes size
        }
    }

    /**
     * File to socket with {@code SPLICE}: from the file into a pipe, then from the pipe into the
     * socket, {@link #SPLICE_CHUNK} bytes at a time, so the bytes stay in the kernel (page-cache
     * pages move into the pipe and on to the socket). The pipe is made per call and closed at its
     * end; the socket's descriptor is held open meanwhile.
     */
    @Override
    public long transferTo(long offset, long length, SocketHandle socket, long timeoutNanos) throws IOException {
        UringSocket s = UringDriver.socket(socket);
        if (!s.acquire()) {
            throw new TransferException("transferTo " + s, Errno.EBADF, true, 0, null);
        }
        try {
            long r = holding(() -> splice(offset, length, s.fd, timeoutNanos));
            if (r == -Errno.EBADF) {
                throw new TransferException("transferTo from " + path + " (closed)", Errno.EBADF, false, 0, null);
            }
            return r;
        } finally {
            s.release();
        }
    }

    private long splice(long offset, long length, int socketFd, long timeoutNanos) throws IOException {
        int[] pipe = pipe();
        long sent = 0;
        try {
            while (sent < length) {
                int chunk = (int) Math.min(length - sent, SPLICE_CHUNK);
                long from = offset + sent;
                int in = spliceOnce(fd, from, pipe[1], chunk, IoDriver.NO_TIMEOUT);
                if (in < 0) {
                    throw new TransferException("splice from " + path + " at offset " + from, -in, false, sent, null);
                }
                if (in == 0) {
                    break; // end of file
                }
                int left = in;
                while (left > 0) {
                    int out = spliceOnce(pipe[0], -1, socketFd, left, timeoutNanos); // -ETIMEDOUT when it stalls
                    if (out <= 0) {
                        int errno = out == 0 ? Errno.EPIPE : -out;
                        throw new TransferException("splice to the socket (fd " + socketFd + ")", errno, true, sent, null);
                    }
                    left -= out;
                    sent += out;
                }
            }
            return sent;
        } finally {
            MemorySegment errno = Libc.errnoState();
            Libc.close(errno, pipe[0]);
            Libc.close(errno, pipe[1]);
        }
    }

    /**
     * One {@code SPLICE} of up to {@code length} bytes from {@code in} (at {@code inOffset}, or -1
     * for none) to {@code out}, cancelled after {@code timeoutNanos}.
     */
    private static int spliceOnce(int in, long inOffset, int out, int length, long timeoutNanos) throws IOException {
        return submit(new UringOp(), timeoutNanos, (d, ring, sqe, token) -> {
            ring.prepare(sqe, Abi.OP_SPLICE, out, inOffset, length, -1L, token); // addr: splice_off_in; off: off_out
            ring.setSpliceFdIn(sqe, in);
            ring.setOpFlags(sqe, Abi.SPLICE_F_MOVE);
        });
    }

    private int[] pipe() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8, 4);
            int r = Libc.pipe2(Libc.newCaptureState(a), fds.address(), Libc.O_CLOEXEC);
            if (r < 0) {
                throw new TransferException("pipe2 for transferTo from " + path, -r, false, 0, null);
            }
            return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
        }
    }

    @Override
    public Alignment alignment() {
        return alignment;
    }

    @Override
    public void close() {
        int v = uses.close();
        if (v == 0) {
            closeDescriptor(); // nothing in flight; else the last release() closes it
        }
    }

    @Override
    public boolean isClosed() {
        return uses.isClosed();
    }

    @Override
    public String toString() {
        return "io_uring file " + path + " (fd " + fd + (isClosed() ? ", closed" : "") + ")";
    }
}

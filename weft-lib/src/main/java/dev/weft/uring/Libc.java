package dev.weft.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions weft's I/O layer calls, through the Foreign Function &amp; Memory API: no JNI,
 * no native library of weft's own. Every call captures {@code errno} and returns the kernel's
 * convention: a result {@code >= 0}, or {@code -errno}.
 *
 * <p>The io_uring system calls have no libc wrapper; they go through {@code syscall(2)} with the
 * numbers below, which are the same on x86-64 and arm64 (the io_uring calls were added to the
 * unified syscall table).
 *
 * <p>Each call takes an {@code errno} capture segment ({@link #newCaptureState}) from its caller,
 * so the hot calls (a worker's {@code io_uring_enter}) allocate nothing; {@link #errnoState()}
 * allocates one for calls off the hot path.
 */
public final class Libc {

    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;

    /** {@code openat}'s directory for paths relative to the current directory. */
    public static final int AT_FDCWD = -100;
    /** {@code statx} of the descriptor itself, with an empty path. */
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_SIZE = 0x200;
    /** {@code stx_dio_mem_align} and {@code stx_dio_offset_align} (Linux 6.1). */
    public static final int STATX_DIOALIGN = 0x2000;
    /** {@code sizeof(struct statx)}, and its fields weft reads. */
    public static final int STATX_BYTES = 0x100;
    public static final int STATX_MASK = 0x00;
    public static final int STATX_BLKSIZE = 0x04;
    public static final int STATX_MODE = 0x1c;
    public static final int STATX_SIZE_FIELD = 0x28;
    public static final int STATX_DEV_MAJOR = 0x88;
    public static final int STATX_DEV_MINOR = 0x8c;
    public static final int STATX_DIO_MEM_ALIGN = 0x98;
    public static final int STATX_DIO_OFFSET_ALIGN = 0x9c;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_CLOEXEC = 0x80000;
    /** {@code O_DIRECT}: its value differs between architectures (x86-64 {@code 040000}, arm64 {@code 0200000}). */
    public static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0x10000 : 0x4000;

    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LISTEN = downcall("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETPEERNAME = downcall("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PIPE2 = downcall("pipe2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = downcall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** The charset the JDK decodes native text with (its {@code sun.jnu.encoding}). */
    private static final Charset JNU_CHARSET = jnuCharset();

    private Libc() {
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libc has no symbol '" + name + "': weft's io_uring binding needs a Linux glibc or musl"));
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /** A new errno capture segment in {@code arena}, for a caller that makes many calls. */
    public static MemorySegment newCaptureState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** A capture segment for one call off the hot path (garbage-collected). */
    public static MemorySegment errnoState() {
        return Arena.ofAuto().allocate(CAPTURE);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static long result(long r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("a libc downcall threw", t);
    }

    /** {@code syscall(nr, a..f)}: the result, or {@code -errno}. */
    public static long syscall(MemorySegment state, long nr, long a, long b, long c, long d, long e, long f) {
        try {
            return result((long) SYSCALL.invokeExact(state, nr, a, b, c, d, e, f), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mmap}: the address, or {@code -errno}. */
    public static long mmap(MemorySegment state, long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return result((long) MMAP.invokeExact(state, addr, length, prot, flags, fd, offset), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int munmap(MemorySegment state, long addr, long length) {
        try {
            return (int) result((int) MUNMAP.invokeExact(state, addr, length), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int close(MemorySegment state, int fd) {
        try {
            return (int) result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(MemorySegment state, int initial, int flags) {
        try {
            return (int) result((int) EVENTFD.invokeExact(state, initial, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(MemorySegment state, int fd, long buf, long count) {
        try {
            return result((long) READ.invokeExact(state, fd, buf, count), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(MemorySegment state, int fd, long buf, long count) {
        try {
            return result((long) WRITE.invokeExact(state, fd, buf, count), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int bind(MemorySegment state, int fd, long addr, int len) {
        try {
            return (int) result((int) BIND.invokeExact(state, fd, addr, len), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int listen(MemorySegment state, int fd, int backlog) {
        try {
            return (int) result((int) LISTEN.invokeExact(state, fd, backlog), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int setsockopt(MemorySegment state, int fd, int level, int name, long value, int len) {
        try {
            return (int) result((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, len), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int getsockopt(MemorySegment state, int fd, int level, int name, long value, long lenPtr) {
        try {
            return (int) result((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, lenPtr), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int getsockname(MemorySegment state, int fd, long addr, long lenPtr) {
        try {
            return (int) result((int) GETSOCKNAME.invokeExact(state, fd, addr, lenPtr), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int getpeername(MemorySegment state, int fd, long addr, long lenPtr) {
        try {
            return (int) result((int) GETPEERNAME.invokeExact(state, fd, addr, lenPtr), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code pipe2(fds, flags)}: writes the read and write descriptors at {@code fds}. */
    public static int pipe2(MemorySegment state, long fds, int flags) {
        try {
            return (int) result((int) PIPE2.invokeExact(state, fds, flags), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * The file calls, looked up on first use: a libc without {@code statx} (glibc before 2.28)
     * fails only the calls that need it, not everything else here.
     */
    private static final class Files {
        static final MethodHandle OPENAT = downcall("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
        static final MethodHandle STATX = downcall("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    /** {@code openat(dirfd, path, flags, mode)}: a descriptor, or {@code -errno}. {@code path} is a NUL-terminated native string. */
    public static int openat(MemorySegment state, int dirfd, long path, int flags, int mode) {
        try {
            return (int) result((int) Files.OPENAT.invokeExact(state, dirfd, path, flags, mode), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code statx(dirfd, path, flags, mask, buf)}: 0, or {@code -errno}; {@code buf} holds {@link #STATX_BYTES}. */
    public static int statx(MemorySegment state, int dirfd, long path, int flags, int mask, long buf) {
        try {
            return (int) result((int) Files.STATX.invokeExact(state, dirfd, path, flags, mask, buf), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code path} as the NUL-terminated bytes the kernel takes, encoded as the JDK encodes file
     * names ({@code sun.jnu.encoding}).
     */
    public static byte[] nativePath(String path) {
        byte[] b = path.getBytes(JNU_CHARSET);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    public static int shutdown(MemorySegment state, int fd, int how) {
        try {
            return (int) result((int) SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * libc's text for {@code errno} in the process's current {@code LC_MESSAGES} locale: the text
     * the JDK's native code puts in the exceptions it throws for a failed call, decoded as the JDK
     * decodes it ({@code sun.jnu.encoding}).
     */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            MemorySegment c = text.reinterpret(Long.MAX_VALUE);
            if (!JNU_CHARSET.equals(StandardCharsets.US_ASCII)) {
                return c.getString(0, JNU_CHARSET);
            }
            // the JDK turns each non-ASCII byte into '?' under an ASCII encoding (a C/POSIX LC_CTYPE)
            StringBuilder b = new StringBuilder();
            for (long i = 0; ; i++) {
                byte x = c.get(JAVA_BYTE, i);
                if (x == 0) {
                    return b.toString();
                }
                b.append(x > 0 ? (char) x : '?');
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}

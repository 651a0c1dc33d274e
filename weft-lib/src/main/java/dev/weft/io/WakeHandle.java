package dev.weft.io;

import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How any thread wakes a worker sleeping inside {@code io_uring_enter}: an eventfd whose read the
 * worker keeps armed on its ring. {@link #wake()} adds 1 to the counter, which completes the
 * pending read; a wake-up while no read is pending stays in the counter and completes the next
 * one, so none is lost.
 */
final class WakeHandle implements AutoCloseable {

    private final int fd;
    private final Arena arena = Arena.ofAuto(); // freed by the collector: a waker may still be in write()
    private final MemorySegment one;
    private final MemorySegment errno;
    private final DescriptorUses uses = new DescriptorUses(); // a wake never writes into a reused descriptor number

    /** Test seam: runs in {@link #wake()} between taking its use and writing (a close racing the write). */
    Runnable beforeWrite = () -> { };

    private WakeHandle(int fd) {
        this.fd = fd;
        this.one = arena.allocate(JAVA_LONG);
        this.one.set(JAVA_LONG, 0, 1L);
        this.errno = Libc.newCaptureState(arena); // shared by wakers: errno is read only on failure
    }

    static WakeHandle open() throws ErrnoException {
        int fd = Libc.eventfd(Libc.errnoState(), 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (fd < 0) {
            throw new ErrnoException("eventfd", fd);
        }
        return new WakeHandle(fd);
    }

    int fd() {
        return fd;
    }

    /** From any thread: completes the worker's pending (or next) eventfd read. */
    void wake() {
        if (uses.acquire()) {
            beforeWrite.run();
            Libc.write(errno, fd, one.address(), 8); // EAGAIN only if the counter is full: already awake
            if (uses.release()) {
                Libc.close(Libc.errnoState(), fd); // closed while this wake wrote: the last use closes
            }
        }
    }

    @Override
    public void close() {
        if (uses.close() == 0) {
            Libc.close(Libc.errnoState(), fd); // no wake in progress; else the last one closes it
        }
    }
}

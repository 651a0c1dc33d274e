package dev.weft.io;

import dev.weft.sched.Driver;
import dev.weft.sched.ThreadParker;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses a runtime's I/O backend and opens one driver per worker. For io_uring it probes the
 * kernel once, on the calling thread ({@link KernelFeatures}), and gives every driver that one
 * answer; a kernel that lacks what weft cannot do without gets the NIO backend, with the reason.
 */
public final class IoBackends {

    private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();
    /** Where io_uring's features and rings come from: the real kernel, or in tests an older one. */
    private static volatile UringKernel kernel = UringKernel.REAL;

    private IoBackends() {
    }

    /**
     * The drivers a runtime starts with.
     *
     * @param drivers        one per worker, by index
     * @param backend        {@code io_uring}, {@code nio} or {@code none}
     * @param fallbackReason why io_uring was not used when it was wanted, or null
     * @param kernel         what the kernel's io_uring supports, or null without io_uring
     * @param group          the drivers' shared state, or null without I/O
     */
    public record Opened(List<Driver> drivers, String backend, String fallbackReason, KernelFeatures kernel,
                         IoGroup group) {

        /** Closes drivers that never reached a worker (the runtime failed to start). */
        public void closeAll() {
            for (Driver d : drivers) {
                d.close();
            }
        }
    }

    /**
     * Opens {@code count} drivers.
     *
     * @param mode {@code auto}, {@code uring}, {@code nio} or {@code none}
     * @throws IllegalStateException when {@code uring} is forced and io_uring cannot work here,
     *                               with the errno and a hint
     */
    public static Opened open(String mode, int count, int regionSlots) {
        return open(mode, count, regionSlots, kernel, System.err);
    }

    /**
     * Makes later runtimes of this JVM take io_uring's features and rings from {@code source}
     * ({@link UringKernel#REAL} to undo). For tests: an older kernel's features, a refusing kernel.
     */
    static void useKernel(UringKernel source) {
        kernel = java.util.Objects.requireNonNull(source, "source");
    }

    /** The source {@link #useKernel} set. */
    static UringKernel kernel() {
        return kernel;
    }

    /**
     * The NIO drivers a runtime starts with after io_uring failed to attach on a worker (a kernel
     * that refused what its probe promised): says why once, as the fallback at open does.
     */
    public static Opened fallBack(int count, int regionSlots, String reason, java.io.PrintStream say) {
        sayFallback(reason, say);
        return grouped(openNio(count, reason), regionSlots);
    }

    /** {@link #open(String, int, int)} with the kernel source and the stream the fallback is said on. */
    static Opened open(String mode, int count, int regionSlots, UringKernel source, java.io.PrintStream say) {
        return grouped(openDrivers(mode, count, source, say), regionSlots);
    }

    private static Opened grouped(Opened o, int regionSlots) {
        if (o.backend().equals("none")) {
            return o;
        }
        List<IoDriver> io = new ArrayList<>();
        for (Driver d : o.drivers()) {
            io.add((IoDriver) d);
        }
        IoGroup group = new IoGroup(o.backend(), io, regionSlots, o.kernel());
        for (IoDriver d : io) {
            d.joinGroup(group, regionSlots);
        }
        return new Opened(o.drivers(), o.backend(), o.fallbackReason(), o.kernel(), group);
    }

    private static Opened openDrivers(String mode, int count, UringKernel source, java.io.PrintStream say) {
        switch (mode) {
            case "none" -> {
                List<Driver> list = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    list.add(new ThreadParker());
                }
                return new Opened(list, "none", null, null, null);
            }
            case "nio" -> {
                return openNio(count, null);
            }
            case "uring", "auto" -> {
                String reason = uringUnavailableReason();
                if (reason == null) {
                    try {
                        return openUring(count, source);
                    } catch (ErrnoException e) {
                        reason = e.getMessage();
                    }
                }
                if (mode.equals("uring")) {
                    throw new IllegalStateException("weft.io=uring was forced but io_uring cannot work here: " + reason);
                }
                sayFallback(reason, say);
                return openNio(count, reason);
            }
            default -> throw new IllegalArgumentException("unknown I/O mode '" + mode + "'; use auto, uring, nio or none");
        }
    }

    private static void sayFallback(String reason, java.io.PrintStream say) {
        if (FALLBACK_SAID.compareAndSet(false, true)) {
            say.println("weft: io_uring is not available (" + reason + "); using the NIO backend");
        }
    }

    /** Whether the fallback to NIO was said already in this JVM (it is said once). */
    static boolean fallbackSaid() {
        return FALLBACK_SAID.get();
    }

    /** Why io_uring cannot be tried on this platform at all (not Linux, an unknown architecture), or null. */
    public static String uringUnavailableReason() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux")) {
            return "io_uring is Linux-only; this is " + os;
        }
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "weft's io_uring binding knows the syscall numbers of x86-64 and arm64 only; this is " + arch;
        }
        return null;
    }

    private static Opened openUring(int count, UringKernel source) throws ErrnoException {
        KernelFeatures features = source.probe(); // once, here: every driver gets the same answer
        String unusable = features.unusableReason();
        if (unusable != null) {
            throw new ErrnoException(unusable, dev.weft.uring.Errno.ENOSYS, null);
        }
        List<Driver> list = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                list.add(UringDriver.open(source, features));
            }
        } catch (ErrnoException | RuntimeException | Error e) {
            for (Driver d : list) {
                d.close();
            }
            throw e;
        }
        return new Opened(list, "io_uring", null, features, null);
    }

    private static Opened openNio(int count, String reason) {
        List<Driver> list = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                list.add(new NioDriver());
            }
        } catch (RuntimeException e) { // UncheckedIOException: no selector (out of file descriptors)
            for (Driver d : list) {
                d.close();
            }
            throw new IllegalStateException("could not open a NIO selector for every worker: " + e.getMessage(), e);
        }
        return new Opened(list, "nio", reason, null, null);
    }
}

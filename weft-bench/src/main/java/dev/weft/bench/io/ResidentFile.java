package dev.weft.bench.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A file the suite writes and keeps in the page cache for the whole run, because this machine's
 * host evicts unlocked cache within seconds. The file is mapped {@code MAP_SHARED} and locked
 * with {@code mlock(2)} (through FFM), which faults every page in and keeps it resident until the
 * mapping is closed; where {@code mlock} is refused ({@code RLIMIT_MEMLOCK} without
 * {@code CAP_IPC_LOCK}) it runs Debian's {@code vmtouch -l} on the file instead, if installed; else
 * the file is used as it is and {@link #how()} says that residency is not guaranteed.
 * {@link #residentShare()} asks the kernel ({@code mincore(2)}) which pages are resident.
 * {@link #close()} unlocks, unmaps and deletes the file.
 */
final class ResidentFile implements AutoCloseable {

    /** How the file is kept resident. */
    enum Residency {
        /** mapped and mlock-ed by this process. */
        MLOCK,
        /** locked by a {@code vmtouch -l} process. */
        VMTOUCH,
        /** not kept resident: the cases that read it may read from the device. */
        NONE
    }

    private static final int PAGE = 4096;
    private static final int CHUNK = 8 << 20;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MLOCK = downcall("mlock");
    private static final MethodHandle MINCORE = LINKER.downcallHandle(LINKER.defaultLookup().find("mincore").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));

    private final Path path;
    private final long bytes;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Residency residency;
    private final String how;
    private final Process vmtouch;

    private ResidentFile(Path path, long bytes, Arena arena, MemorySegment mapping, Residency residency, String how,
                         Process vmtouch) {
        this.path = path;
        this.bytes = bytes;
        this.arena = arena;
        this.mapping = mapping;
        this.residency = residency;
        this.how = how;
        this.vmtouch = vmtouch;
    }

    private static MethodHandle downcall(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"));
    }

    /**
     * Writes {@code bytes} of pseudo-random data to a new file at {@code path}, flushed to the
     * device (so that no write-back disturbs the measurements), and keeps it resident if
     * {@code lock}.
     *
     * @throws IllegalArgumentException when {@code bytes} is not a positive multiple of 4 KiB
     */
    static ResidentFile create(Path path, long bytes, boolean lock) throws IOException {
        if (bytes < PAGE || bytes % PAGE != 0) {
            throw new IllegalArgumentException("a resident file is a positive multiple of " + PAGE + " bytes, not "
                    + bytes);
        }
        write(path, bytes);
        if (!lock) {
            return new ResidentFile(path, bytes, null, null, Residency.NONE, "not locked (not needed)", null);
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            int errno = call(MLOCK, mapping, bytes);
            if (errno == 0) {
                return new ResidentFile(path, bytes, arena, mapping, Residency.MLOCK,
                        "mapped MAP_SHARED and mlock-ed by the bench (FFM)", null);
            }
            String refused = "mlock refused (errno " + errno + (errno == 12 || errno == 1
                    ? ": RLIMIT_MEMLOCK, and no CAP_IPC_LOCK" : "") + ")";
            Optional<Process> touch = vmtouch(path);
            if (touch.isPresent()) {
                return new ResidentFile(path, bytes, arena, mapping, Residency.VMTOUCH, refused + "; locked by vmtouch -l",
                        touch.get());
            }
            return new ResidentFile(path, bytes, arena, mapping, Residency.NONE, refused
                    + " and vmtouch is not installed: residency NOT guaranteed (the reads may go to the device)", null);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private static void write(Path path, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        SplittableRandom random = new SplittableRandom(12);
        while (chunk.remaining() >= Long.BYTES) {
            chunk.putLong(random.nextLong());
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; at += CHUNK) {
                chunk.clear().limit((int) Math.min(CHUNK, bytes - at));
                while (chunk.hasRemaining()) {
                    ch.write(chunk, at + chunk.position());
                }
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private static Optional<Process> vmtouch(Path path) {
        try {
            Process p = new ProcessBuilder("vmtouch", "-q", "-l", path.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // vmtouch -l reads the file in, locks it and sleeps until killed; give it the time to read it.
            for (int i = 0; i < 300 && p.isAlive(); i++) {
                if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            return p.isAlive() ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Calls {@code f(mapping.address(), length)}: 0 or the errno. */
    private static int call(MethodHandle f, MemorySegment mapping, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(ERRNO_STATE);
            int r = (int) f.invokeExact(state, mapping, length);
            return r == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The file. */
    Path path() {
        return path;
    }

    /** Its size. */
    long bytes() {
        return bytes;
    }

    /** How it is kept resident. */
    Residency residency() {
        return residency;
    }

    /** How it is kept resident, in words, for the report. */
    String how() {
        return how;
    }

    /**
     * The share of the file's pages in the page cache now, 0 to 1, as {@code mincore(2)} reports
     * them (through a mapping of the file: this one, or a fresh one if the file is not locked).
     */
    double residentShare() throws IOException {
        if (mapping != null) {
            return share(mapping);
        }
        try (Arena a = Arena.ofConfined(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return share(ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, a));
        }
    }

    private double share(MemorySegment m) {
        long pages = m.byteSize() / PAGE;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment vec = a.allocate(pages);
            MemorySegment state = a.allocate(ERRNO_STATE);
            int r = (int) MINCORE.invokeExact(state, m, m.byteSize(), vec);
            if (r != 0) {
                throw new IllegalStateException("mincore failed with errno " + (int) ERRNO.get(state, 0L));
            }
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                resident += vec.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return (double) resident / pages;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** "100.0%" */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** Unlocks and unmaps (closing the mapping's arena unmaps it, which drops the lock), stops vmtouch, deletes the file. */
    @Override
    public void close() {
        if (vmtouch != null) {
            vmtouch.destroy();
        }
        if (arena != null) {
            arena.close();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not delete " + path + "; delete it by hand", e);
        }
    }
}

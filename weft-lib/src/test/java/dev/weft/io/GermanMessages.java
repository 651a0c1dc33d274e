package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Switches libc's messages to German for this process, as {@code LANGUAGE=de} with a UTF-8
 * {@code LC_MESSAGES} does for a program started so, and back on close.
 */
public final class GermanMessages implements AutoCloseable {
    private static final int LC_MESSAGES = 5; // glibc
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SETLOCALE = handle("setlocale", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SETENV = handle("setenv", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle UNSETENV = handle("unsetenv", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment previous;
    private final String epipeBefore = Libc.strerror(Errno.EPIPE);
    /** LANGUAGE before the switch (read before setenv: the JDK copies the environment at its first getenv). */
    private final String language = System.getenv("LANGUAGE");

    private GermanMessages() throws Throwable {
        MemorySegment now = (MemorySegment) SETLOCALE.invokeExact(LC_MESSAGES, MemorySegment.NULL);
        previous = arena.allocateFrom(now.reinterpret(Long.MAX_VALUE).getString(0));
        MemorySegment set = (MemorySegment) SETLOCALE.invokeExact(LC_MESSAGES, arena.allocateFrom("C.UTF-8"));
        assumeFalse(set.equals(MemorySegment.NULL), "no C.UTF-8 locale here");
        int r = (int) SETENV.invokeExact(arena.allocateFrom("LANGUAGE"), arena.allocateFrom("de"), 1);
        assertEquals(0, r, "setenv(LANGUAGE)");
    }

    public static GermanMessages switchOn() throws Exception {
        try {
            return new GermanMessages();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        try {
            int r = language == null ? (int) UNSETENV.invokeExact(arena.allocateFrom("LANGUAGE"))
                    : (int) SETENV.invokeExact(arena.allocateFrom("LANGUAGE"), arena.allocateFrom(language), 1);
            assertEquals(0, r, "restoring LANGUAGE");
            // glibc keeps the translations while LC_MESSAGES is set to the name it has: pass through "C"
            MemorySegment c = (MemorySegment) SETLOCALE.invokeExact(LC_MESSAGES, arena.allocateFrom("C"));
            MemorySegment back = (MemorySegment) SETLOCALE.invokeExact(LC_MESSAGES, previous);
            assertFalse(back.equals(MemorySegment.NULL), "restoring LC_MESSAGES");
            assertEquals(epipeBefore, Libc.strerror(Errno.EPIPE), "libc's messages after restoring "
                    + previous.getString(0) + ", LANGUAGE=" + language);
        } catch (Throwable t) {
            throw new AssertionError("restoring libc's messages", t);
        } finally {
            arena.close();
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
    }
}

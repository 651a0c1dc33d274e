package dev.weft.task;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spawn overloads take a value-returning body, a plain {@link Runnable} and a void body that
 * throws checked exceptions, and none of the usual lambdas or method references is ambiguous.
 * The calls are compiled here, by the JDK's {@code javac} against weft's classes, so that a
 * regression fails this test, with the compiler's message, instead of the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpawnFormsTest {

    private static final String CALLS = """
            import dev.weft.runtime.Weft;
            import dev.weft.task.*;
            import java.io.IOException;
            import java.nio.file.*;
            class Calls {
                static void voidThrowing() throws IOException { }
                static int value() { return 1; }
                static void plain() { }
                static void all(Weft rt, Path p, Runnable r) {
                    JoinHandle<Integer> a = rt.spawn(() -> 42);
                    JoinHandle<Void> b = rt.spawn(() -> { });
                    JoinHandle<Object> c = rt.spawn(() -> { throw new IOException(); });
                    JoinHandle<Void> d = rt.spawn(() -> Files.delete(p));
                    JoinHandle<Void> e = rt.spawn(() -> { Files.delete(p); });
                    JoinHandle<Void> f = rt.spawn(Calls::voidThrowing);
                    JoinHandle<Integer> g = rt.spawn(Calls::value);
                    JoinHandle<Void> h = rt.spawn(Calls::plain);
                    JoinHandle<Void> i = rt.spawn(r);
                    JoinHandle<Void> j = rt.task().name("n").spawn(() -> Files.delete(p));
                    JoinHandle<Integer> k = rt.task().spawn(() -> 42);
                    JoinHandle<Void> l = rt.task().spawn(Calls::voidThrowing);
                    JoinHandle<Void> m = Task.spawn(() -> Files.delete(p));
                    JoinHandle<Integer> n = Task.spawn(() -> 42);
                    JoinHandle<Void> o = Task.spawn(() -> { });
                    JoinHandle<Void> q = Task.spawn(Calls::voidThrowing);
                }
            }
            """;

    @Test
    void everyUsualBodyCompilesWithoutACast() throws Exception {
        Path dir = Files.createTempDirectory("weft-spawn-forms");
        Path source = Files.writeString(dir.resolve("Calls.java"), CALLS);
        ChildJvm.Result r = ChildJvm.run("javac", "-d", dir.toString(), "-cp", ChildJvm.classes().toString(),
                source.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void aCheckedRunnableFailsWithItsOwnException() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(1)
                .uncaughtFailureHandler((runtime, task, error) -> { }).build())) {
            IOException boom = new IOException("boom");
            CheckedRunnable body = () -> {
                throw boom;
            };
            assertSame(boom, assertThrows(JoinException.class, rt.spawn(body)::join).getCause(), "unwrapped");
            assertSame(boom, assertThrows(JoinException.class, rt.task().spawn(body)::join).getCause());
            assertSame(boom, assertThrows(JoinException.class,
                    rt.spawn(() -> Task.spawn(body).join())::join).getCause().getCause());
            assertEquals(null, rt.spawn(() -> { }).join());
        }
    }

    @Test
    void runWrapsACheckedExceptionForPlainRunnableCallers() {
        IOException boom = new IOException("boom");
        CheckedRunnable body = () -> {
            throw boom;
        };
        assertSame(boom, assertThrows(java.lang.reflect.UndeclaredThrowableException.class, body::run).getCause());
    }
}

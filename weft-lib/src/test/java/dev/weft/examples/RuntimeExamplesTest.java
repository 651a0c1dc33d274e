package dev.weft.examples;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.task.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The javadoc examples of {@code dev.weft.runtime} and {@code dev.weft.task}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeExamplesTest {

    static long count(String what) {
        return what.length() * 10L;
    }

    /** {@code dev.weft.runtime}'s package javadoc. */
    static void runtimePackage() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(4).build())) {
            JoinHandle<Long> total = rt.spawn(() -> {
                JoinHandle<Long> a = Task.spawn(() -> count("a"));
                JoinHandle<Long> b = Task.spawn(() -> count("b"));
                return a.join() + b.join();
            });
            System.out.println(total.join());
        }
    }

    @Test
    void theRuntimePackageExamplePrintsTheSum() throws Exception {
        assertEquals("20", Printed.by(RuntimeExamplesTest::runtimePackage).strip());
    }

    /** {@link Weft}'s class javadoc. */
    static void weft() throws Exception {
        try (Weft rt = Weft.start(Config.defaults())) {
            JoinHandle<Integer> h = rt.spawn(() -> 6 * 7);
            int answer = h.join();
        }
    }

    @Test
    void theWeftExampleJoinsTheAnswer() {
        assertDoesNotThrow(RuntimeExamplesTest::weft);
    }

    /** {@link Config}'s javadoc. */
    static Config config() {
        Config config = Config.builder().workers(2, 8).threadNamePrefix("api").build();
        return config;
    }

    @Test
    void theConfigExampleBuildsItsConfig() {
        Config c = config();
        assertEquals(2, c.minWorkers());
        assertEquals(8, c.maxWorkers());
        assertEquals("api", c.threadNamePrefix());
    }

    static long sum(long[] xs) {
        long s = 0;
        for (long x : xs) {
            s += x;
        }
        return s;
    }

    /** {@code TaskBuilder}'s javadoc. */
    static long taskBuilder() throws Exception {
        long[] xs = {1, 2, 3};
        try (Weft runtime = Weft.start()) {
            JoinHandle<Long> h = runtime.task().name("sum").kind(TaskKind.DEDICATED).spawn(() -> sum(xs));
            return h.join();
        }
    }

    @Test
    void theTaskBuilderExampleRunsADedicatedTask() throws Exception {
        assertEquals(6, taskBuilder());
    }

    static final List<String> log = new ArrayList<>();

    static String fetch(String url) throws InterruptedException {
        if (url.contains("slow")) {
            Thread.sleep(Duration.ofMinutes(1));
        }
        return "<html>" + url + "</html>";
    }

    static void render(String page) {
        log.add("rendered " + page);
    }

    static void log(String line) {
        log.add(line);
    }

    /** {@code dev.weft.task}'s package javadoc, fetching {@code url}. */
    static void taskPackage(String url) throws Exception {
        try (Weft rt = Weft.start()) {
            JoinHandle<String> page = rt.task().name("fetch").spawn(() ->
                    Task.timeout(Duration.ofSeconds(2), () -> fetch(url)));
            try {
                render(page.join());
            } catch (JoinException e) {
                log(e.isCancelled() ? "cancelled" : "failed: " + e.getCause());
            }
        }
    }

    @Test
    void theTaskPackageExampleRendersOrLogsTheTimeout() throws Exception {
        log.clear();
        taskPackage("weft.dev");
        taskPackage("slow.weft.dev");
        assertEquals(2, log.size(), log.toString());
        assertEquals("rendered <html>weft.dev</html>", log.get(0));
        assertEquals(true, log.get(1).startsWith("failed: "), log.get(1));
    }
}

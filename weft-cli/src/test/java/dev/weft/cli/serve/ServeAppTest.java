package dev.weft.cli.serve;

import dev.weft.runtime.IoMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ServeApp} and {@link Site} in this JVM: the class example, stopping, and the failures at start. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeAppTest {

    @Test
    void theClassExampleStartsPrintsItsLineAndStops() throws Exception {
        String line;
        int port;
        // The example of ServeApp's documentation, as it is written there.
        ServeOptions options = new ServeOptions("127.0.0.1", 0, Optional.empty(), OptionalInt.of(1), IoMode.AUTO,
                Duration.ofSeconds(1));
        try (ServeApp app = ServeApp.start(options, BuildInfo.read())) {
            System.out.println(app.startupLine()); // weft serve: http://127.0.0.1:40123/ (io_uring, 1 worker)
            line = app.startupLine();
            port = app.url().getPort();
            assertEquals("Hello, World!", HttpExchange.get(port, "/plaintext").text());
        }

        assertTrue(ServeProcess.STARTUP.matcher(line).matches(), line);
        assertTrue(line.endsWith(", 1 worker)"), line);
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "closed, it listens no more");
    }

    @Test
    void anIpv6LiteralIsShownInBracketsAsGiven() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            probe.getLocalPort();
        } catch (IOException e) {
            Assumptions.abort("this machine has no IPv6 loopback to listen on (" + e.getMessage() + ")");
        }
        ServeOptions options = new ServeOptions("::1", 0, Optional.empty(), OptionalInt.of(1), IoMode.AUTO,
                Duration.ZERO);
        try (ServeApp app = ServeApp.start(options, BuildInfo.read())) {
            assertEquals("http://[::1]:" + app.server().port() + "/", app.url().toString());
            assertTrue(app.startupLine().startsWith("weft serve: http://[::1]:" + app.server().port() + "/ ("),
                    app.startupLine());
        }
    }

    @Test
    void statsCountTheRequestsServed() throws Exception {
        ServeOptions options = new ServeOptions("127.0.0.1", 0, Optional.empty(), OptionalInt.of(1), IoMode.NIO,
                Duration.ofSeconds(1));
        try (ServeApp app = ServeApp.start(options, BuildInfo.read())) {
            int port = app.url().getPort();
            HttpExchange.get(port, "/json");
            HttpExchange.get(port, "/json");
            HttpExchange.get(port, "/nowhere");

            StatsSnapshot s = app.stats();
            assertEquals("nio", s.backend());
            assertEquals(3, s.requests());
            assertEquals(2L, s.responsesByStatus().get(200));
            assertEquals(1L, s.responsesByStatus().get(404));
            assertEquals(BuildInfo.read().version(), s.version());
        }
    }

    @Test
    void anAddressInUseFailsNamingItAndLeavesNoRuntimeRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServeOptions options = new ServeOptions("127.0.0.1", taken.getLocalPort(), Optional.empty(),
                    OptionalInt.of(1), IoMode.AUTO, Duration.ZERO);
            long workersBefore = workerThreads();

            IOException e = assertThrows(IOException.class, () -> ServeApp.start(options, BuildInfo.read()));

            assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (workerThreads() > workersBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(workerThreads() <= workersBefore, "the runtime started for the server stopped again");
        }
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("weft-worker")).count();
    }

    @Test
    void aSiteFileMissingFromTheClassPathFailsTheLoadNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Site.load("0.0.0-not-on-the-class-path"));

        assertTrue(e.getMessage().contains("/META-INF/resources/webjars/uplot/0.0.0-not-on-the-class-path/dist/"),
                e.getMessage());
        assertTrue(e.getMessage().contains("rebuild weft-cli"), e.getMessage());
    }

    @Test
    void theSiteAnswersItsPageScriptStyleIconAndTheChartingLibrary() {
        Site site = Site.load(BuildInfo.read().uplotVersion());

        assertEquals(java.util.Set.of("/", "/app.js", "/style.css", "/favicon.svg", "/assets/uplot/uPlot.iife.min.js",
                "/assets/uplot/uPlot.min.css"), site.paths());
    }
}

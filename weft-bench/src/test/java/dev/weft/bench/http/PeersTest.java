package dev.weft.bench.http;

import dev.weft.bench.io.Tools;
import dev.weft.bench.net.NettyEcho;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every peer of the suite, started as the suite starts it (its own process, its announcement or
 * its port), answers the suite's check over a real socket, answers pipelined requests in order,
 * uses CPU that the suite can read, and is gone after close.
 */
class PeersTest {

    private static BenchFiles files;

    @BeforeAll
    static void files() throws IOException {
        files = BenchFiles.create();
    }

    @AfterAll
    static void removeFiles() throws IOException {
        files.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty-uring", "netty-epoll", "helidon"})
    void aJavaPeerAnswersEveryRouteAndStops(String impl, @TempDir Path scratch) throws Exception {
        if (!impl.equals(HelidonHttp.IMPL)) {
            NettyEcho.Transport t = impl.equals("netty-uring") ? NettyEcho.Transport.IO_URING : NettyEcho.Transport.EPOLL;
            Assumptions.assumeTrue(t.unavailableReason().isEmpty(), () -> t.unavailableReason().orElseThrow());
        }
        HttpTarget target = JvmTarget.peer(impl);
        assertEquals(Optional.empty(), target.unavailableReason());

        answersAndStops(target, scratch);
    }

    @Test
    void nginxAnswersEveryRouteAndStops(@TempDir Path scratch) throws Exception {
        Assumptions.assumeTrue(NginxTarget.executable().isPresent(),
                "nginx is not installed (Debian: apt-get install -y nginx)");

        answersAndStops(new NginxTarget(Optional.empty()), scratch);
    }

    private static void answersAndStops(HttpTarget target, Path scratch) throws Exception {
        ChildServer s = target.start(1, files, List.of(), scratch);
        List<ProcessHandle> processes;
        try {
            ResponseCheck.check(s.port(), files);
            pipelinedAnswersComeInOrder(s.port());
            assertTrue(s.cpuNanos() >= 0, "its CPU time reads"); // nginx may not have used one 10 ms tick yet
            processes = ProcessHandle.of(s.pid()).map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                    p.descendants()).toList()).orElseThrow();
            if (target instanceof NginxTarget) {
                assertEquals(2, processes.size(), "nginx's master and its one worker: " + processes);
            }
        } finally {
            s.close();
        }
        assertFalse(s.isAlive());
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), target.impl() + " left process " + p.pid());
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", s.port()).close(), "nothing listens any more");
    }

    private static void pipelinedAnswersComeInOrder(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String get = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            out.write((get.formatted("/plaintext") + get.formatted("/json") + get.formatted("/plaintext"))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(NginxConf.PLAINTEXT, read(in).text());
            assertEquals(NginxConf.JSON.replaceAll("\\s", ""), read(in).text().replaceAll("\\s", ""));
            assertEquals(NginxConf.PLAINTEXT, read(in).text());
        }
    }

    private static ResponseCheck.Response read(InputStream in) throws IOException {
        // ResponseCheck.get writes its request first; an empty write and the same reading
        return ResponseCheck.get(in, OutputStream.nullOutputStream(), "(pipelined)");
    }

    @Test
    void weftIsSkippedWhenItsCommandIsNotOnTheClassPath() {
        Assumptions.assumeTrue(JvmTarget.onClassPath(JvmTarget.WEFT_MAIN).isEmpty(), "weft's command is here");

        String reason = JvmTarget.weft().unavailableReason().orElseThrow();

        assertTrue(reason.contains("dev.weft.cli.Main (weft serve) is not on the class path"), reason);
        assertTrue(reason.contains("./weft bench http"), reason);
    }

    @Test
    void weftsCommandLineIsTheServeCommand() {
        List<String> command = JvmTarget.weft().command(1, Path.of("/srv/static"), List.of("taskset", "-c", "1"));

        assertEquals(List.of("taskset", "-c", "1"), command.subList(0, 3));
        int main = command.indexOf(JvmTarget.WEFT_MAIN);
        assertTrue(main > 0, command.toString());
        assertEquals(List.of("serve", "--host", "127.0.0.1", "--port", "0", "--root", "/srv/static", "--workers", "1",
                "--io", "uring"), command.subList(main + 1, command.size()));
    }

    @Test
    void nettyPeersGetNettysRecommendedFlagsAndHelidonItsCarriers() {
        assertTrue(HttpPeerMain.jvmFlags("netty-uring", 1).contains("--sun-misc-unsafe-memory-access=allow"));
        assertEquals(List.of("-Djdk.virtualThreadScheduler.parallelism=2"), HttpPeerMain.jvmFlags("helidon", 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpPeerMain.create("tomcat"));
        assertTrue(e.getMessage().contains("'tomcat'") && e.getMessage().contains("helidon"), e.getMessage());
    }

    @Test
    void aMissingProgramsReasonNamesItsDebianPackage() {
        assertTrue(Tools.missing("nginx", NginxTarget.PACKAGE, false).contains("apt-get install -y nginx"));
        assertTrue(Tools.missing("wrk", Wrk.PACKAGE, true).contains("apt-get install -y wrk"));
    }
}

package dev.weft.bench.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EchoServerTest {

    /** A peer of this package, or the test is skipped with the reason it cannot run here. */
    private static EchoServer peer(String impl) {
        EchoServer server = EchoServers.create(impl);
        assumeTrue(server.unavailableReason().isEmpty(), () -> impl + " cannot run here: "
                + server.unavailableReason().orElseThrow());
        return server;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends {@code bytes} from another thread and reads as many back. */
    private static byte[] roundTrip(Socket s, byte[] bytes) throws Exception {
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                s.getOutputStream().write(bytes);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = s.getInputStream().readNBytes(bytes.length);
        writer.join();
        return back;
    }

    private static List<String> liveThreads(EchoServer server) {
        List<String> live = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && server.threadNamePrefixes().stream().anyMatch(p -> t.getName().startsWith(p))) {
                live.add(t.getName());
            }
        }
        return live;
    }

    @ParameterizedTest
    @ValueSource(strings = {"weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt"})
    void echoesEveryByteOnEveryConnection(String impl) throws Exception {
        try (EchoServer server = peer(impl)) {
            int port = server.start(2);
            Random random = new Random(impl.hashCode());
            List<Socket> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 3; c++) {
                    clients.add(connect(port));
                }
                for (int size : new int[] {1, 64, 4096, 50_000}) {
                    for (Socket client : clients) {
                        byte[] sent = new byte[size];
                        random.nextBytes(sent);
                        assertArrayEquals(sent, roundTrip(client, sent), impl + ", " + size + " bytes");
                    }
                }
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt"})
    void closeEndsEveryThreadAndConnectionEvenWithClientsConnected(String impl) throws Exception {
        EchoServer server = peer(impl);
        int port = server.start(2);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                Socket client = connect(port);
                clients.add(client);
                assertArrayEquals(new byte[] {42}, roundTrip(client, new byte[] {42})); // served
            }
            assertTrue(!liveThreads(server).isEmpty(), impl + " names no thread with " + server.threadNamePrefixes());

            server.close();

            assertEquals(List.of(), liveThreads(server), impl + " threads alive after close()");
            if (server instanceof JdkVirtualThreadEcho vt) {
                assertEquals(0, vt.liveConnectionThreads(), "jdk-vt connection threads alive after close()");
            }
            for (Socket client : clients) {
                assertTrue(closedByServer(client.getInputStream()), impl + " left a connection open");
            }
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            server.close();
        }
    }

    private static boolean closedByServer(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt"})
    void carriesTheLoadGeneratorsPipelinedLoad(String impl) throws Exception {
        try (EchoServer server = peer(impl)) {
            int port = server.start(1);
            for (LoadGenerator.Load load : List.of(new LoadGenerator.Load(8, 64, 16),
                    new LoadGenerator.Load(8, 4096, 4))) {
                LoadGenerator.Outcome o = new LoadGenerator(load).run(port, Duration.ZERO, Duration.ofMillis(150));

                assertTrue(o.messages() > 0, impl + " echoed no message of " + load);
            }
        }
    }

    @Test
    void startingTwiceOrWithoutWorkersIsRefused() throws Exception {
        try (EchoServer server = EchoServers.create("jdk-vt")) {
            assertThrows(IllegalArgumentException.class, () -> server.start(0));
            server.start(1);
            assertThrows(IllegalStateException.class, () -> server.start(1));
        }
    }

    @Test
    void closingAServerNeverStartedDoesNothing() {
        for (String impl : EchoServers.IMPLS) {
            EchoServers.create(impl).close();
        }
    }

    @Test
    void registryListsWeftFirstThenThePeers() {
        assertEquals(List.of("weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt"), EchoServers.IMPLS);
        for (String impl : EchoServers.IMPLS) {
            assertEquals(impl, EchoServers.create(impl).impl());
        }
    }

    @Test
    void weftServersRunWhereTheirTransportExists() {
        assertEquals(Optional.empty(), EchoServers.create("weft-nio").unavailableReason());
        boolean linux = System.getProperty("os.name", "").equals("Linux");
        assertEquals(linux, EchoServers.create("weft").unavailableReason().isEmpty());
    }

    @Test
    void jdkVtCountsTheJdksCarriersAndPollersAsItsCpuButNotAsItsOwnThreads() throws Exception {
        try (EchoServer server = peer("jdk-vt")) {
            int port = server.start(2);
            try (Socket client = connect(port)) {
                assertArrayEquals(new byte[] {7}, roundTrip(client, new byte[] {7}));
                String carriers = JdkVirtualThreadEcho.carrierNamePrefix();

                assertTrue(carriers.matches("ForkJoinPool-\\d+-worker-"), carriers);
                assertEquals(List.of("weft-bench-echo-jdk-vt-"), server.threadNamePrefixes());
                assertEquals(List.of("weft-bench-echo-jdk-vt-", carriers, "MasterPoller", "Read-Poller",
                        "Write-Poller"), server.cpuThreadNamePrefixes());
                assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith(carriers)), "no live thread named " + carriers + "*");
            }
        }
    }

    @Test
    void carrierPrefixIsReadFromAVirtualThreadsName() {
        assertEquals("ForkJoinPool-2-worker-",
                JdkVirtualThreadEcho.carrierPrefixOf("VirtualThread[#24]/runnable@ForkJoinPool-2-worker-1"));
        assertEquals("ForkJoinPool-1-worker-",
                JdkVirtualThreadEcho.carrierPrefixOf("VirtualThread[#3,name]/runnable@ForkJoinPool-1-worker-12"));
        assertEquals("ForkJoinPool-", JdkVirtualThreadEcho.carrierPrefixOf("VirtualThread[#24]/runnable"));
        assertEquals("ForkJoinPool-", JdkVirtualThreadEcho.carrierPrefixOf("VirtualThread[#24]/runnable@carrier"));
        assertEquals("ForkJoinPool-", JdkVirtualThreadEcho.carrierPrefixOf(null));
    }

    @Test
    void serversCountTheirOwnThreadsAsTheirCpuByDefault() {
        for (String impl : List.of("weft", "weft-nio", "netty-uring", "netty-epoll")) {
            EchoServer server = EchoServers.create(impl);
            assertEquals(server.threadNamePrefixes(), server.cpuThreadNamePrefixes(), impl);
        }
    }

    @Test
    void unknownNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EchoServers.create("nginx"));

        assertTrue(e.getMessage().contains("'nginx'") && e.getMessage().contains("netty-epoll, jdk-vt"),
                e.getMessage());
    }

    @Test
    void nettyTransportThatCannotRunSaysWhyInsteadOfThrowing() {
        for (NettyEcho.Transport t : NettyEcho.Transport.values()) {
            new NettyEcho(t).unavailableReason().ifPresent(reason ->
                    assertTrue(reason.startsWith("Netty's "), reason));
        }
    }
}

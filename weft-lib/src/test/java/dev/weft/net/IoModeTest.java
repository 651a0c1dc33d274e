package dev.weft.net;

import dev.weft.runtime.Config;
import dev.weft.runtime.IoInfo;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.time.Duration;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the I/O backend is chosen: -Dweft.io, Config, and a runtime without I/O. */
class IoModeTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    /** Runs {@code body} with -Dweft.io set to {@code value} (null: cleared), restoring the old value. */
    private static <T> T withProperty(String value, java.util.function.Supplier<T> body) {
        String old = System.getProperty(IoMode.PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(IoMode.PROPERTY);
            } else {
                System.setProperty(IoMode.PROPERTY, value);
            }
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(IoMode.PROPERTY);
            } else {
                System.setProperty(IoMode.PROPERTY, old);
            }
        }
    }

    @Test
    @Timeout(10)
    void thePropertyNamesTheMode() {
        assertEquals("weft.io", IoMode.PROPERTY);
        assertEquals(IoMode.URING, withProperty("uring", IoMode::fromSystemProperty));
        assertEquals(IoMode.URING, withProperty("io_uring", IoMode::fromSystemProperty));
        assertEquals(IoMode.NIO, withProperty("nio", IoMode::fromSystemProperty));
        assertEquals(IoMode.AUTO, withProperty("auto", IoMode::fromSystemProperty));
        assertEquals(IoMode.NONE, withProperty("none", IoMode::fromSystemProperty));
        assertEquals(IoMode.NIO, withProperty(" NIO ", IoMode::fromSystemProperty), "case and blanks do not matter");
        assertEquals(IoMode.AUTO, withProperty(null, IoMode::fromSystemProperty), "unset: AUTO");
        assertEquals(IoMode.AUTO, withProperty("  ", IoMode::fromSystemProperty), "blank: AUTO");
    }

    @Test
    @Timeout(10)
    void aBogusPropertyIsRejectedNamingTheValueAndTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperty("bogus", IoMode::fromSystemProperty));
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
        assertTrue(e.getMessage().contains("weft.io"), e.getMessage());
        for (String valid : new String[] {"uring", "nio", "auto", "none"}) {
            assertTrue(e.getMessage().contains(valid), valid + " in " + e.getMessage());
        }
        // a config without an explicit mode reads the property, and fails the same way
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> withProperty("bogus", () -> Config.builder().build()));
        assertTrue(c.getMessage().contains("bogus"), c.getMessage());
        // an explicit mode wins over the property
        assertEquals(IoMode.NIO, withProperty("bogus", () -> Config.builder().io(IoMode.NIO).build().io()));
        assertEquals(IoMode.NONE, withProperty("none", () -> Config.builder().build().io()));
    }

    @Test
    @Timeout(10)
    void maxRegionsOutsideItsRangeIsRejected() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Config.builder().maxRegions(-1).io(IoMode.NIO).build());
        assertTrue(negative.getMessage().contains("maxRegions -1"), negative.getMessage());
        assertEquals(0, Config.builder().maxRegions(0).io(IoMode.NIO).build().maxRegions(), "0 turns regions off");
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Config.builder().maxRegions(Config.MAX_REGIONS + 1).io(IoMode.NIO).build());
        assertTrue(big.getMessage().contains(String.valueOf(Config.MAX_REGIONS + 1)), big.getMessage());
        assertEquals(Config.DEFAULT_MAX_REGIONS, Config.builder().io(IoMode.NIO).build().maxRegions());
        assertEquals(1, Config.builder().maxRegions(1).io(IoMode.NIO).build().maxRegions());
    }

    @Test
    @Timeout(30)
    void aRuntimeWithoutIoRefusesNetCalls() throws Exception {
        rt = Weft.start(Config.builder().workers(2).io(IoMode.NONE).build());
        IoInfo info = rt.ioInfo();
        assertEquals("none", info.backend());
        assertEquals("none", rt.stats().ioBackend());
        assertTrue(info.opcodes().isEmpty() && info.features().isEmpty(), info.toString());
        IllegalStateException bind = call(rt, () -> assertThrows(IllegalStateException.class,
                () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4)));
        assertTrue(bind.getMessage().contains("NONE"), bind.getMessage());
        IllegalStateException connect = call(rt, () -> assertThrows(IllegalStateException.class,
                () -> TcpStream.connect(new InetSocketAddress("127.0.0.1", 9), CONNECT)));
        assertTrue(connect.getMessage().contains("NONE"), connect.getMessage());
        // compute still works, and regions are unsupported
        assertEquals(42, call(rt, () -> 6 * 7));
        try (Arena a = Arena.ofConfined()) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> rt.registerRegion(a.allocate(16)));
            assertTrue(e.getMessage().contains("none"), e.getMessage());
        }
        assertTrue(rt.shutdown(Duration.ofSeconds(1)));
    }

    /** AUTO picks io_uring where it works, else NIO with a reason. */
    @Test
    @Timeout(30)
    void autoPicksABackendAndSaysWhy() throws Exception {
        rt = Weft.start(Config.builder().workers(1).io(IoMode.AUTO).build());
        IoInfo info = rt.ioInfo();
        assertTrue(info.backend().equals("io_uring") || info.backend().equals("nio"), info.toString());
        assertEquals(info.backend().equals("nio"), info.fallbackReason().isPresent(),
                "a reason exactly when it fell back: " + info);
        assertEquals(info.backend(), rt.stats().ioBackend());
        // whichever it is, it carries a connection
        assertEquals(Boolean.TRUE, call(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                var accepted = dev.weft.task.Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT);
                     TcpStream s = NetTesting.join(accepted)) {
                    return c.remoteAddress().equals(s.localAddress());
                }
            }
        }));
    }
}

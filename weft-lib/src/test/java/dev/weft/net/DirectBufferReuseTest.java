package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A connection that reads and writes through direct buffers gets its bytes where each call's
 * buffer and position say, however the buffers alternate (the io_uring driver remembers the last
 * buffer of each direction), and a buffer whose arena was closed is refused before anything is
 * submitted, leaving the connection usable.
 */
class DirectBufferReuseTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void alternatingBuffersAndPositionsPutEveryByteInItsPlace(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    ByteBuffer a = ByteBuffer.allocateDirect(256);
                    ByteBuffer b = ByteBuffer.allocateDirect(256);
                    for (int round = 0; round < 40; round++) {
                        ByteBuffer out = round % 3 == 0 ? b : a;   // sends alternate between the buffers
                        ByteBuffer in = round % 2 == 0 ? a : b;    // and receives, on another rhythm
                        int at = round % 7 * 9;                    // at a position that moves
                        byte[] msg = pattern(40 + round, round);
                        out.clear().position(at);
                        out.put(msg).flip().position(at);
                        c.writeAll(out);
                        in.clear().position(at + 1).limit(at + 1 + msg.length);
                        while (in.hasRemaining()) {
                            assertEquals(true, c.read(in) > 0, "round " + round + ": the echo ended early");
                        }
                        byte[] got = new byte[msg.length];
                        in.get(at + 1, got);
                        assertArrayEquals(msg, got, "round " + round);
                    }
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aBufferWhoseArenaWasClosedIsRefusedAndTheConnectionGoesOn(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    Arena arena = Arena.ofShared();
                    ByteBuffer freed = arena.allocate(64).asByteBuffer();
                    freed.put(pattern(64, 7)).flip();
                    c.writeAll(freed);                                  // used once: remembered
                    freed.clear();
                    while (freed.hasRemaining()) {
                        c.read(freed);
                    }
                    arena.close();
                    freed.clear();
                    assertThrows(IllegalStateException.class, () -> c.write(freed), "a send from freed memory");
                    assertThrows(IllegalStateException.class, () -> c.read(freed), "a receive into freed memory");
                    ByteBuffer live = ByteBuffer.allocateDirect(64);
                    byte[] msg = pattern(64, 8);
                    c.writeAll(live.put(msg).flip());
                    live.clear();
                    while (live.hasRemaining()) {
                        c.read(live);
                    }
                    byte[] got = new byte[64];
                    live.flip().get(got);
                    assertArrayEquals(msg, got, "the connection still echoes");
                }
            });
        }
    }
}

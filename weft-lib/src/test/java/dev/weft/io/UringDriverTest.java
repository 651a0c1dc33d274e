package dev.weft.io;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.sched.Scheduler;
import dev.weft.uring.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UringDriverTest {

    private Scheduler scheduler;

    @BeforeEach
    void start() {
        scheduler = Scheduler.start(Config.builder().workers(2).build(), i -> {
            try {
                return UringDriver.open();
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.close();
        scheduler.awaitTermination(Duration.ofSeconds(10));
    }

    @Test
    void echoesOverLoopback() throws Exception {
        var h = scheduler.spawn(() -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 16)) {
                var server = scheduler.spawn(() -> {
                    try (TcpStream s = l.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(64);
                        int n;
                        while ((n = s.read(b)) > 0) {
                            b.flip();
                            s.writeAll(b);
                            b.clear();
                        }
                    }
                    return null;
                });
                List<String> got = new ArrayList<>();
                try (TcpStream c = TcpStream.connect(l.localAddress(), Duration.ofSeconds(5))) {
                    for (int i = 0; i < 100; i++) {
                        byte[] msg = ("hello " + i).getBytes(StandardCharsets.UTF_8);
                        c.writeAll(ByteBuffer.wrap(msg));
                        ByteBuffer in = ByteBuffer.allocate(msg.length);
                        c.readFully(in);
                        got.add(new String(in.array(), StandardCharsets.UTF_8));
                    }
                    c.shutdownOutput();
                    server.join(Duration.ofSeconds(5));
                }
                return got;
            }
        });
        List<String> got = h.join(Duration.ofSeconds(20));
        assertEquals(100, got.size());
        assertEquals("hello 99", got.get(99));
    }
}

package dev.weft.bench.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoadGeneratorTest {

    private static final Duration BRIEF = Duration.ofMillis(200);

    private static LoadGenerator.Outcome drive(EchoServer server, LoadGenerator.Load load) throws Exception {
        try (server) {
            int port = server.start(1);
            return new LoadGenerator(load).run(port, Duration.ZERO, BRIEF);
        }
    }

    @Test
    void countsEveryEchoedMessageAndRecordsItsLatency() throws Exception {
        LoadGenerator.Outcome o = drive(ScriptedEcho.plain("plain"), new LoadGenerator.Load(4, 64, 4));

        assertTrue(o.messages() > 0, "no message measured");
        assertEquals(o.messages(), o.latencies().getTotalCount());
        assertTrue(o.nanos() >= BRIEF.toNanos(), "measured for " + o.nanos() + " ns");
        assertTrue(o.p50() > 0 && o.p99() >= o.p50(), o.p50() + " / " + o.p99());
    }

    @Test
    void measuredPeriodLastsUntilTheFirstEchoWhenNoneCameInIt() throws Exception {
        EchoServer slowFirst = new ScriptedEcho("slow-first", () -> (echoed, available) -> {
            if (echoed == 0) {
                try {
                    Thread.sleep(BRIEF.toMillis() * 2); // the first echo comes after the measured period
                } catch (InterruptedException e) {
                    return -1;
                }
            }
            return available;
        });

        LoadGenerator.Outcome o = drive(slowFirst, new LoadGenerator.Load(1, 64, 1));

        assertTrue(o.messages() > 0, "no message measured: " + o);
        assertTrue(o.nanos() >= 2 * BRIEF.toNanos(), "the period ends with the first echo: " + o.nanos() + " ns");
    }

    @Test
    void reassemblesSmallMessagesEchoedByteByByteThenMergedAcrossBoundaries() throws Exception {
        // one byte per write for two messages and a bit, then writes of 3, 61, 67, 130 and 190
        // bytes: none of them a message or a multiple of one
        EchoServer server = ScriptedEcho.chunked("split", 2 * 64 + 5, 3, 61, 67, 130, 190);

        LoadGenerator.Outcome o = drive(server, new LoadGenerator.Load(3, 64, 4));

        assertTrue(o.messages() > 10, "only " + o.messages() + " messages");
    }

    @Test
    void reassemblesLargeMessagesEchoedInPiecesAndAcrossBoundaries() throws Exception {
        EchoServer server = ScriptedEcho.chunked("split", 100, 1000, 4095, 4097, 9000, 12289);

        LoadGenerator.Outcome o = drive(server, new LoadGenerator.Load(2, 4096, 4));

        assertTrue(o.messages() > 10, "only " + o.messages() + " messages");
    }

    @Test
    void corruptByteFailsTheRunSayingWhereAndWhat() {
        EchoServer server = ScriptedEcho.corrupting("flip", 1000);

        CorruptEchoException e = assertThrows(CorruptEchoException.class,
                () -> drive(server, new LoadGenerator.Load(2, 64, 4)));

        // stream offset 1000 = message 15 (of 64 bytes), byte 40
        assertTrue(e.getMessage().startsWith("corrupt echo on connection "), e.getMessage());
        assertTrue(e.getMessage().contains("message 15 (64 bytes), byte 40 (stream offset 1000)"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x"), e.getMessage());
    }

    @Test
    void corruptByteInTheHeaderIsCaughtToo() {
        EchoServer server = ScriptedEcho.corrupting("flip", 64 * 3 + 9); // a sequence-number byte

        CorruptEchoException e = assertThrows(CorruptEchoException.class,
                () -> drive(server, new LoadGenerator.Load(1, 64, 4)));

        assertTrue(e.getMessage().contains("message 3 (64 bytes), byte 9"), e.getMessage());
    }

    @Test
    void serverThatNeverEchoesFailsAfterTheStallTimeoutNamingAWaitingConnection() throws Exception {
        try (EchoServer mute = ScriptedEcho.mute("mute")) {
            int port = mute.start(1);
            LoadGenerator generator = new LoadGenerator(new LoadGenerator.Load(2, 64, 4),
                    Duration.ofSeconds(5), Duration.ofMillis(300));

            SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                    () -> generator.run(port, Duration.ZERO, Duration.ofSeconds(10)));

            assertTrue(e.getMessage().contains("no echo from 127.0.0.1:" + port + " for 300 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("2 of 2 connections have messages in flight"), e.getMessage());
            assertTrue(e.getMessage().contains("waits for the echo of message 0"), e.getMessage());
        }
    }

    @Test
    void serverThatClosesAConnectionFailsTheRun() throws Exception {
        try (EchoServer closing = new ScriptedEcho("closing", () -> (echoed, available) -> -1)) {
            int port = closing.start(1);

            IOException e = assertThrows(IOException.class, () -> new LoadGenerator(
                    new LoadGenerator.Load(1, 64, 1)).run(port, Duration.ZERO, BRIEF));

            assertTrue(e.getMessage().contains("connection 0 to 127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void nothingListeningFailsToConnect() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        int unused = port;

        ConnectException e = assertThrows(ConnectException.class, () -> new LoadGenerator(
                new LoadGenerator.Load(1, 64, 1)).run(unused, Duration.ZERO, BRIEF));

        assertTrue(e.getMessage().contains("connection 0 of 1 to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void messageMustHoldItsHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadGenerator.Load(1, 15, 1));

        assertTrue(e.getMessage().contains("messageBytes must be >= 16"), e.getMessage());
    }
}

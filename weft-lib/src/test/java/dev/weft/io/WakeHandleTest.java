package dev.weft.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wake-up racing the eventfd's close never writes into the descriptor number's next owner
 * (DescriptorUses: the last use after close closes the descriptor).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WakeHandleTest {

    @Test
    void usesCloseTheDescriptorOnceAndOnlyWhenTheLastUseEnds() {
        DescriptorUses uses = new DescriptorUses();
        assertTrue(uses.acquire());
        assertEquals(1, uses.close(), "one use in progress: close leaves the descriptor to it");
        assertFalse(uses.acquire(), "no use starts after close");
        assertEquals(-1, uses.close(), "a second close does nothing");
        assertTrue(uses.release(), "the last use after close closes the descriptor");
    }

    @Test
    void aWakeRacingCloseNeverWritesIntoTheNextFileOnItsNumber() throws Exception {
        // the kernel gives out the lowest free numbers: a spare file takes M, the eventfd N above it;
        // with both closed, a pipe's read end takes M and its write end N, the number a late wake writes to
        java.nio.channels.FileChannel spare = java.nio.channels.FileChannel.open(java.nio.file.Path.of("/dev/null"));
        WakeHandle handle = WakeHandle.open();
        Pipe[] pipe = new Pipe[1];
        handle.beforeWrite = () -> { // the close, and a new file on the freed numbers, land between check and write
            handle.close();
            try {
                spare.close();
                pipe[0] = Pipe.open();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        handle.wake();
        try (Pipe.SourceChannel source = pipe[0].source(); Pipe.SinkChannel sink = pipe[0].sink()) {
            source.configureBlocking(false);
            assertEquals(0, source.read(ByteBuffer.allocate(64)), "the wake wrote into the pipe that took the eventfd's number");
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, source.read(ByteBuffer.allocate(64)), "the pipe works, so its descriptors are open and the write above would have shown");
        }
    }
}

package dev.weft.cli.serve;

import dev.weft.runtime.IoMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeOptionsTest {

    @Test
    void theDefaultsAreLoopbackPort8080TheSiteAndAutomaticIo() {
        ServeOptions d = ServeOptions.defaults();

        assertEquals("127.0.0.1", d.host());
        assertEquals(8080, d.port());
        assertEquals(Optional.empty(), d.root());
        assertEquals(OptionalInt.empty(), d.workers());
        assertEquals(IoMode.AUTO, d.io());
        assertEquals(Duration.ofSeconds(5), d.grace());
    }

    @Test
    void ioNamesAreReadWhateverTheirCase() {
        assertEquals(IoMode.URING, ServeOptions.parseIo("uring"));
        assertEquals(IoMode.URING, ServeOptions.parseIo("IO_URING"));
        assertEquals(IoMode.NIO, ServeOptions.parseIo(" Nio "));
        assertEquals(IoMode.AUTO, ServeOptions.parseIo("auto"));
    }

    @Test
    void aRuntimeWithoutIoIsRefusedNamingTheValidBackends() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServeOptions(
                "127.0.0.1", 0, Optional.empty(), OptionalInt.empty(), IoMode.NONE, Duration.ZERO));

        assertTrue(e.getMessage().startsWith("--io none leaves the server without networking: give uring, nio or auto"),
                e.getMessage());
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        new ServeOptions("localhost", 0, Optional.empty(), OptionalInt.of(1), IoMode.NIO, Duration.ZERO);
        new ServeOptions("::1", 65535, Optional.of(java.nio.file.Path.of(".")), OptionalInt.of(1024), IoMode.URING,
                Duration.ofSeconds(1));
    }

    @Test
    void aBlankHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServeOptions(
                " ", 0, Optional.empty(), OptionalInt.empty(), IoMode.AUTO, Duration.ZERO));

        assertTrue(e.getMessage().startsWith("--host is empty: give the address to listen on"), e.getMessage());
    }

    @Test
    void tooManyWorkersAreRefusedNamingTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServeOptions(
                "127.0.0.1", 0, Optional.empty(), OptionalInt.of(1025), IoMode.AUTO, Duration.ZERO));

        assertTrue(e.getMessage().startsWith("--workers 1025 is not a worker count: give 1 to 1024"), e.getMessage());
    }
}

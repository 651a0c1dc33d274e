package dev.weft.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteTest {

    @Test
    void namesAreTheOnesTheIssuesGive() {
        assertEquals("device, sched, actors, net, io, http", Suite.ids());
    }

    @Test
    void everySuiteIsAvailable() {
        for (Suite s : Suite.values()) {
            assertTrue(s.available(), s.id());
            assertEquals(s.id(), Suite.byId(s.id()).orElseThrow().id());
        }
        assertTrue(Suite.HTTP.create() instanceof dev.weft.bench.http.HttpSuite);
    }

    @Test
    void theUnavailableMessageNamesTheSuiteAndThePartThatBringsIt() {
        assertTrue(Suite.SCHED.unavailableMessage().contains("work-stealing scheduler"));
        assertTrue(Suite.HTTP.unavailableMessage().contains("io_uring networking"));
        assertTrue(Suite.HTTP.unavailableMessage().contains("'http'"));
    }

    @Test
    void lookupIgnoresCaseAndRejectsUnknownNames() {
        assertEquals(Suite.DEVICE, Suite.byId("Device").orElseThrow());
        assertFalse(Suite.byId("gpu").isPresent());
    }
}

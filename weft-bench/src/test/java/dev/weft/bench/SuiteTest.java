package dev.weft.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteTest {

    @Test
    void namesAreTheOnesTheIssuesGive() {
        assertEquals("device, sched, actors, net, io, http", Suite.ids());
    }

    @Test
    void onlyDeviceSchedActorsAndNetAreAvailable() {
        for (Suite s : Suite.values()) {
            assertEquals(s == Suite.DEVICE || s == Suite.SCHED || s == Suite.ACTORS || s == Suite.NET,
                    s.available(), s.id());
        }
    }

    @Test
    void unavailableSuiteNamesThePartThatBringsIt() {
        assertTrue(Suite.SCHED.unavailableMessage().contains("work-stealing scheduler"));
        assertTrue(Suite.IO.unavailableMessage().contains("I/O request queue"));
        assertTrue(Suite.HTTP.unavailableMessage().contains("io_uring networking"));
        IllegalStateException e = assertThrows(IllegalStateException.class, Suite.IO::create);
        assertTrue(e.getMessage().contains("'io'"), e.getMessage());
    }

    @Test
    void lookupIgnoresCaseAndRejectsUnknownNames() {
        assertEquals(Suite.DEVICE, Suite.byId("Device").orElseThrow());
        assertFalse(Suite.byId("gpu").isPresent());
    }
}

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
    void onlyDeviceSchedActorsNetAndIoAreAvailable() {
        for (Suite s : Suite.values()) {
            assertEquals(s == Suite.DEVICE || s == Suite.SCHED || s == Suite.ACTORS || s == Suite.NET || s == Suite.IO,
                    s.available(), s.id());
        }
    }

    @Test
    void unavailableSuiteNamesThePartThatBringsIt() {
        assertTrue(Suite.SCHED.unavailableMessage().contains("work-stealing scheduler"));
        assertTrue(Suite.HTTP.unavailableMessage().contains("io_uring networking"));
        IllegalStateException e = assertThrows(IllegalStateException.class, Suite.HTTP::create);
        assertTrue(e.getMessage().contains("'http'"), e.getMessage());
    }

    @Test
    void lookupIgnoresCaseAndRejectsUnknownNames() {
        assertEquals(Suite.DEVICE, Suite.byId("Device").orElseThrow());
        assertFalse(Suite.byId("gpu").isPresent());
    }
}

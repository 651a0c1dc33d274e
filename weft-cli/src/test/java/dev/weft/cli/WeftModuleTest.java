package dev.weft.cli;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The command's tests see weft as the command does: the named module dev.weft. */
class WeftModuleTest {

    @Test
    void weftIsTheNamedModuleAndJavaLangIsNotOpenToTheCommand() {
        assertEquals("dev.weft", Weft.class.getModule().getName());
        assertFalse(Object.class.getModule().isOpen("java.lang", WeftModuleTest.class.getModule()));
    }
}

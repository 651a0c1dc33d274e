package dev.weft.bench;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InaccessibleObjectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench (class path code, like a user's application) sees weft as the named module
 * {@code dev.weft}, as the weft command runs it: only the exported packages are usable, and the
 * JDK opens java.lang to weft, not to the class path, and grants weft native access.
 */
class WeftModuleTest {

    private final Module weft = Weft.class.getModule();
    private final Module classPath = WeftModuleTest.class.getModule();

    @Test
    void weftIsTheNamedModule() {
        assertEquals("dev.weft", weft.getName());
        assertFalse(classPath.isNamed());
    }

    @Test
    void anInternalPackageIsNotAccessible() throws Exception {
        assertFalse(weft.isExported("dev.weft.sched"));
        Class<?> worker = Class.forName("dev.weft.sched.Worker");
        assertThrows(InaccessibleObjectException.class, () -> worker.getDeclaredConstructors()[0].setAccessible(true));
    }

    @Test
    void javaLangIsOpenToWeftOnly() {
        assertTrue(Object.class.getModule().isOpen("java.lang", weft));
        assertFalse(Object.class.getModule().isOpen("java.lang", classPath));
        assertTrue(weft.isNativeAccessEnabled());
    }
}

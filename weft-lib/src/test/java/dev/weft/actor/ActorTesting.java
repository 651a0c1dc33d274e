package dev.weft.actor;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the actor tests share: a runtime per test, closed after it, and outcome helpers. */
abstract class ActorTesting {

    static final Duration LONG = Duration.ofSeconds(20);

    Weft rt;

    Weft start(int workers) {
        rt = Weft.start(Config.builder().workers(workers).build());
        return rt;
    }

    Weft start() {
        return start(2);
    }

    /**
     * Ends the runtime with {@code shutdownNow}, which kills every actor still alive: a test that
     * failed with an actor waiting forever must not hang the suite in {@code close}.
     */
    @AfterEach
    void closeRuntime() throws InterruptedException {
        if (rt != null) {
            rt.shutdownNow();
            assertTrue(rt.awaitTermination(LONG), "runtime did not terminate");
        }
    }

    /** The value of an {@link Outcome.Exit}; fails on any other outcome. */
    static Object value(Outcome o) {
        return assertInstanceOf(Outcome.Exit.class, o, () -> "outcome " + o).value();
    }

    /** Waits for the Down of {@code ref} and returns its outcome. */
    static Outcome awaitDown(MonitorRef ref) {
        Down d = (Down) Actor.receive(m -> m instanceof Down dn && dn.ref() == ref, LONG).orElseThrow();
        return d.outcome();
    }
}

package dev.weft.examples;

import dev.weft.actor.Actor;
import dev.weft.actor.Call;
import dev.weft.actor.CallException;
import dev.weft.actor.ChildSpec;
import dev.weft.actor.Outcome;
import dev.weft.actor.Pid;
import dev.weft.actor.Supervisor;
import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's supervised-actor example. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeActorExamplesTest {

    /** The README's first actor block, as class members, and its second as {@link #run}'s body. */
    static final class Examples {
        record Add(int n) {}

        static void counter() {
            Actor.register("counter", Actor.self());
            int total = 0;
            for (;;) {
                if (Actor.receive() instanceof Call c) {
                    if (!(c.request() instanceof Add(int n))) {
                        throw new IllegalArgumentException("not an Add: " + c.request());
                    }
                    total += n;
                    Actor.reply(c, total);
                }
            }
        }

        static Pid counterPid() {                      // the counter now running (restarts re-register)
            Optional<Pid> p;
            while ((p = Actor.whereis("counter")).isEmpty()) {
                Actor.sleep(Duration.ofMillis(1));
            }
            return p.get();
        }

        static Outcome run(Weft rt) throws Exception {
            Supervisor tree = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("counter", Examples::counter))
                    .build();                               // at most 1 restart in 5 s, as in OTP

            Outcome o = rt.run(() -> {
                Actor.trapExits(true);                      // the tree's end comes as a message
                Pid sup = tree.spawnLink();
                Object five = Actor.call(counterPid(), new Add(5), Duration.ofSeconds(1));
                try {
                    Actor.call(counterPid(), "oops", Duration.ofSeconds(1));
                } catch (CallException e) {
                    // the counter crashed: the call fails at once with Failed(IllegalArgumentException)
                }
                Object one = Actor.call(counterPid(), new Add(1), Duration.ofSeconds(1)); // restarted from 0
                Actor.exit(sup, "shutdown");                // stops the children, then the supervisor
                return List.of(five, one);
            });
            // o is Outcome.Exit([5, 1])
            return o;
        }
    }

    @Test
    void theSupervisedCounterIsRestartedFromZero() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            assertEquals(new Outcome.Exit(List.of(5, 1)), Examples.run(rt));
        }
    }
}

package dev.weft.examples;

import dev.weft.actor.Actor;
import dev.weft.actor.Call;
import dev.weft.actor.ChildSpec;
import dev.weft.actor.Mutex;
import dev.weft.actor.Overflow;
import dev.weft.actor.Outcome;
import dev.weft.actor.Pid;
import dev.weft.actor.Supervisor;
import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc examples of {@code dev.weft.actor} and of {@code Weft.run}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorExamplesTest {

    /** The package javadoc's message types and counter actor. */
    static final class Examples {
        sealed interface CounterMsg permits Add, Get {}
        record Add(int n) implements CounterMsg {}
        record Get() implements CounterMsg {}

        static void counter() {
            int total = 0;
            for (;;) {
                switch (Actor.receive()) {
                    case Add(int n) -> total += n;
                    case Call c when c.request() instanceof Get -> Actor.reply(c, total);
                    default -> { }
                }
            }
        }

        /** The package javadoc's root run. */
        static Outcome counterRun(Weft rt) throws Exception {
            Outcome o = rt.run(() -> {
                Pid counter = Actor.spawn(Examples::counter);
                Actor.send(counter, new Add(2));
                Actor.send(counter, new Add(40));
                Object total = Actor.call(counter, new Get(), Duration.ofSeconds(1));
                Actor.exit(counter, "shutdown");
                return total;
            });
            // o is Outcome.Exit(42)
            return o;
        }
    }

    @Test
    void theCounterExampleReturns42() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            assertEquals(new Outcome.Exit(42), Examples.counterRun(rt));
        }
    }

    /** The package javadoc's supervisor, spawned from a root actor that then stops it. */
    static List<Supervisor.Child> supervised() {
        Supervisor sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                .child(ChildSpec.worker("counter", Examples::counter))
                .intensity(3, Duration.ofSeconds(5))
                .build();
        Pid pid = sup.spawnLink();
        List<Supervisor.Child> children = Supervisor.children(pid, Duration.ofSeconds(5));
        Actor.trapExits(true);
        Actor.exit(pid, "shutdown");
        return children;
    }

    @Test
    void theSupervisorExampleRunsItsChild() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            Outcome o = rt.run(ActorExamplesTest::supervised);
            List<?> children = (List<?>) ((Outcome.Exit) o).value();
            assertEquals(1, children.size());
            assertTrue(children.getFirst() instanceof Supervisor.Child c && c.id().equals("counter") && c.pid() != null);
        }
    }

    /** {@code Mutex}'s javadoc, in a root actor. */
    static List<String> mutex() {
        Mutex<List<String>> shared = new Mutex<>(new ArrayList<>());
        try (Mutex.Guard<List<String>> g = shared.lock(Duration.ofMillis(100))) {
            g.get().add("entry");
        }
        try (Mutex.Guard<List<String>> g = shared.lock(Duration.ofMillis(100))) {
            return List.copyOf(g.get());
        }
    }

    @Test
    void theMutexExampleAddsItsEntry() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            assertEquals(new Outcome.Exit(List.of("entry")), rt.run(ActorExamplesTest::mutex));
        }
    }

    /** A job for {@code ActorBuilder}'s example. */
    interface Job {
        void run();
    }

    /** {@code ActorBuilder}'s javadoc: a bounded worker, sent two jobs. */
    static Object boundedWorker() {
        Pid worker = Actor.builder()
                .boundedMailbox(1_000, Overflow.WAIT)
                .sendTimeout(Duration.ofMillis(200))
                .spawn((Job job) -> job.run());
        Pid me = Actor.self();
        Actor.send(worker, (Job) () -> Actor.send(me, "ran"));
        Actor.send(worker, (Job) Actor::stop);
        return Actor.receive(Duration.ofSeconds(5)).orElse("nothing");
    }

    @Test
    void theBoundedWorkerExampleRunsItsJob() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            assertEquals(new Outcome.Exit("ran"), rt.run(ActorExamplesTest::boundedWorker));
        }
    }

    /** {@code Weft.run}'s javadoc. */
    static Outcome echo(Weft rt) throws Exception {
        Outcome o = rt.run(() -> {
            Pid echo = Actor.spawn(() -> {
                Object m = Actor.receive();
                if (m instanceof Call c) Actor.reply(c, c.request());
            });
            return Actor.call(echo, "hi", Duration.ofSeconds(1));
        });
        // o is Outcome.Exit("hi")
        return o;
    }

    @Test
    void theWeftRunExampleEchoes() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).build())) {
            assertEquals(new Outcome.Exit("hi"), echo(rt));
        }
    }
}

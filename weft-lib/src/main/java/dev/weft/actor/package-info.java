/**
 * Erlang-style actors on weft's scheduler: processes with pids that never alias, mailboxes,
 * links, monitors, and supervisors that restart what fails.
 *
 * <p>A <b>process actor</b> is plain blocking-style code that loops on {@link dev.weft.actor.Actor#receive()};
 * a <b>handler actor</b> ({@link dev.weft.actor.Handler}) handles one message per call and holds no
 * thread while idle. Messages are plain objects: a sealed interface of records and a
 * {@code switch} with record patterns is the intended style. {@code Weft.run} runs a root actor
 * and returns its {@link dev.weft.actor.Outcome} once every actor has ended:
 *
 * <pre>{@code
 * sealed interface CounterMsg permits Add, Get {}
 * record Add(int n) implements CounterMsg {}
 * record Get() implements CounterMsg {}
 *
 * static void counter() {
 *     int total = 0;
 *     for (;;) {
 *         switch (Actor.receive()) {
 *             case Add(int n) -> total += n;
 *             case Call c when c.request() instanceof Get -> Actor.reply(c, total);
 *             default -> { }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <pre>{@code
 * Outcome o = rt.run(() -> {
 *     Pid counter = Actor.spawn(Examples::counter);
 *     Actor.send(counter, new Add(2));
 *     Actor.send(counter, new Add(40));
 *     Object total = Actor.call(counter, new Get(), Duration.ofSeconds(1));
 *     Actor.exit(counter, "shutdown");
 *     return total;
 * });
 * // o is Outcome.Exit(42)
 * }</pre>
 *
 * A {@link dev.weft.actor.Supervisor} keeps children running:
 *
 * <pre>{@code
 * Supervisor sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
 *         .child(ChildSpec.worker("counter", Examples::counter))
 *         .intensity(3, Duration.ofSeconds(5))
 *         .build();
 * Pid pid = sup.spawnLink();
 * }</pre>
 *
 * <h2>Options, shared state, observation</h2>
 * {@link dev.weft.actor.ActorBuilder} spawns with a bounded mailbox ({@link dev.weft.actor.Overflow}:
 * the sender waits, the newest is dropped, or the send fails) or a handler actor's throughput.
 * {@link dev.weft.actor.Mutex} guards state that actors share, with a mandatory lock timeout and
 * FIFO hand-off. {@link dev.weft.actor.Actor#stats()} (or {@code Weft.actorStats()}) is a
 * snapshot ({@link dev.weft.actor.ActorStats}); the JDK Flight Recorder events are listed in
 * {@code ActorEvents} ({@code dev.weft.ActorSpawn}, {@code ActorExit}, {@code ActorFailure},
 * {@code ActorRestart}, {@code SupervisorGiveUp}, {@code MailboxDepth}).
 *
 * <h2>Layers</h2>
 * {@code actor} sits above {@code task}, {@code sched} and {@code time} (an actor is a weft task;
 * its waits park its virtual thread; its timeouts and {@code sendAfter} use the runtime's timer) and
 * below {@code runtime}, whose {@code Weft.run} starts a root actor.
 */
package dev.weft.actor;

package dev.weft.actor;

/**
 * A handler actor's behaviour: {@link #handle} runs once per message, in the order the messages
 * were queued, never two at once. Spawned with {@link Actor#spawn(Handler)}.
 *
 * <p>An idle handler actor holds no thread and no virtual thread: when messages arrive, the
 * runtime runs its mailbox as a pooled weft task, in batches of at most its throughput
 * ({@link Actor#DEFAULT_THROUGHPUT} unless given at spawn), and lets the worker's other tasks run
 * between batches. {@code handle} may block (it runs in a weft task); while blocked it holds a
 * virtual thread. Inside it, {@link Actor#self()}, {@link Actor#send}, {@link Actor#reply},
 * {@link Actor#stop()} and the other calls of {@link Actor} work as in a process actor, except
 * {@code receive}, which belongs to process actors.
 *
 * <p>Messages are plain objects: a message that is not an {@code M} fails the actor with the
 * {@link ClassCastException} of the call. A throw from {@code handle} ends the actor with
 * {@link Outcome.Failed}; {@link Actor#stop()} ends it normally.
 *
 * @param <M> the messages it takes (use a sealed interface, or {@code Object} for an actor that
 *            also gets {@link Down} or {@link ExitSignal})
 */
@FunctionalInterface
public interface Handler<M> {

    /** Handles one message. */
    void handle(M message) throws Exception;
}

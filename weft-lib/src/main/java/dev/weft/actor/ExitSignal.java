package dev.weft.actor;

/**
 * An exit signal turned into a message, for an actor that traps exits
 * ({@link Actor#trapExits(boolean)}): {@code from} sent it, or ended while linked to the receiver.
 * {@code reason} is the linked actor's {@link Outcome} when it ended (normal ends included), or
 * the reason given to {@link Actor#exit(Pid, Object)}.
 */
public record ExitSignal(Pid from, Object reason) {
}

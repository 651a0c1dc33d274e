package dev.weft.actor;

/**
 * The message a monitor delivers once when the monitored actor has ended: {@code ref} is what
 * {@link Actor#monitor} (or {@link Actor#spawnMonitor}) returned, {@code pid} the actor,
 * {@code outcome} how it ended. For a pid whose actor had already ended when it was monitored,
 * its outcome if the runtime still knows it, else {@code Killed("noproc")}.
 */
public record Down(MonitorRef ref, Pid pid, Outcome outcome) {
}

package dev.weft.actor;

/**
 * A send found the bounded mailbox of its target full: at once under {@link Overflow#FAIL}, after
 * the send timeout under {@link Overflow#WAIT}. The message was not queued.
 */
public final class MailboxFullException extends RuntimeException {

    private final transient Pid pid;

    MailboxFullException(Pid pid, String message) {
        super(message);
        this.pid = pid;
    }

    /** The actor whose mailbox was full. */
    public Pid pid() {
        return pid;
    }
}

package dev.weft.actor;

/**
 * What a send to a full bounded mailbox does ({@link ActorBuilder#boundedMailbox}). Messages the
 * runtime delivers ({@link Down}, {@link ExitSignal}, replies to calls) are never refused; a
 * {@link Actor#sendAfter} message that finds the mailbox full is dropped under every policy (the
 * timer thread can neither wait nor take an exception).
 */
public enum Overflow {
    /**
     * The sender waits for room, at most the actor's send timeout
     * ({@link ActorBuilder#sendTimeout}); then {@link Actor#send} throws
     * {@link MailboxFullException}. An actor or task that waits frees its worker meanwhile.
     */
    WAIT,
    /** The new message is dropped: {@link Actor#send} returns false. */
    DROP_NEWEST,
    /** {@link Actor#send} throws {@link MailboxFullException} at once. */
    FAIL
}

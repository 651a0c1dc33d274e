package dev.weft.cli;

/** The exit statuses of the {@code weft} command, listed in its usage. */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** Failed: the command threw (picocli's own code for that), or weft ioqueue's loop failed. */
    static final int FAILED = 1;
    /** Usage error (picocli's own code), or the feature asked for is not available yet. */
    static final int NOT_AVAILABLE = 2;

    private ExitCodes() {
    }
}

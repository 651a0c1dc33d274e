package dev.weft.cli;

/** The exit statuses of the {@code weft} command, listed in its usage. */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    // 1: the command threw (a report could not be written, say): picocli's own code for that.
    /** Usage error (picocli's own code), or the feature asked for is not available yet. */
    static final int NOT_AVAILABLE = 2;

    private ExitCodes() {
    }
}

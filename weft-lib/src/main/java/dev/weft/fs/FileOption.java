package dev.weft.fs;

import java.nio.file.OpenOption;

/**
 * How {@link FileHandle#open} opens a file. Without {@link #READ}, {@link #WRITE} or
 * {@link #APPEND} a file is opened for reading.
 */
public enum FileOption implements OpenOption {
    /** Open for reading. */
    READ,
    /** Open for writing, at offsets the caller gives. */
    WRITE,
    /** Create the file if it does not exist (needs {@link #WRITE} or {@link #APPEND}). */
    CREATE,
    /**
     * Create the file, failing with {@link java.nio.file.FileAlreadyExistsException} if it
     * exists (needs {@link #WRITE} or {@link #APPEND}; {@link #CREATE} is then ignored).
     */
    CREATE_NEW,
    /** Truncate an existing file to 0 bytes (needs {@link #WRITE}; not with {@link #APPEND}). */
    TRUNCATE,
    /**
     * Open for appending: every write goes to the end of the file, atomically with respect to
     * other appenders ({@code O_APPEND}); write with {@link FileHandle#append(java.nio.ByteBuffer)}.
     * Not with {@link #READ} or {@link #TRUNCATE} (as the JDK's {@code FileChannel}).
     */
    APPEND,
    /**
     * Direct I/O ({@code O_DIRECT}): transfers bypass the page cache, and each must be aligned
     * as {@link FileHandle#directAlignment()} says (buffer address, file offset and length), which
     * is checked before the transfer is submitted. Opt-in; a file system that does not support it
     * fails the open ({@code EINVAL}).
     */
    DIRECT
}

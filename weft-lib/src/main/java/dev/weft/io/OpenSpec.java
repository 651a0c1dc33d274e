package dev.weft.io;

import dev.weft.uring.Libc;

/**
 * How a file is opened, as both backends take it: the access and the creation rules. The public
 * API ({@code dev.weft.fs.FileOption}) validates the combination before it builds one.
 *
 * @param read      open for reading
 * @param write     open for writing (positional writes)
 * @param append    every write goes to the end of the file ({@code O_APPEND})
 * @param create    create the file if it does not exist
 * @param createNew create the file, failing if it exists ({@code O_CREAT | O_EXCL})
 * @param truncate  truncate an existing file to 0 bytes
 * @param direct    bypass the page cache ({@code O_DIRECT}); transfers must be aligned
 */
public record OpenSpec(boolean read, boolean write, boolean append, boolean create, boolean createNew,
                       boolean truncate, boolean direct) {

    /** Mode bits of a created file, before the process's umask: {@code rw-rw-rw-}, as the JDK's. */
    public static final int CREATE_MODE = 0666;

    /** The {@code open(2)} flags, with {@code O_CLOEXEC}. */
    public int linuxFlags() {
        boolean writes = write || append;
        int flags = read && writes ? Libc.O_RDWR : writes ? Libc.O_WRONLY : Libc.O_RDONLY;
        if (append) {
            flags |= Libc.O_APPEND;
        }
        if (createNew) {
            flags |= Libc.O_CREAT | Libc.O_EXCL;
        } else if (create) {
            flags |= Libc.O_CREAT;
        }
        if (truncate) {
            flags |= Libc.O_TRUNC;
        }
        if (direct) {
            flags |= Libc.O_DIRECT;
        }
        return flags | Libc.O_CLOEXEC;
    }
}

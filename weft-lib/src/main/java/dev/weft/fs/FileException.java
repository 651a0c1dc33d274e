package dev.weft.fs;

import java.nio.file.FileSystemException;

/**
 * A file operation failed with an errno for which the JDK has no exception type of its own
 * ({@code EISDIR}, {@code ENOSPC}, {@code EIO}, ...). The message names the path, the operation
 * and the errno; {@link #errno()} gives it. Failures the JDK has a type for are thrown as that
 * type ({@link java.nio.file.NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.AccessDeniedException}), with the errno named in their message too.
 */
public class FileException extends FileSystemException {

    private final int errno;

    /**
     * @param file   the path
     * @param reason what failed and why, naming the errno
     * @param errno  the errno, positive or negated
     */
    public FileException(String file, String reason, int errno) {
        super(file, null, reason);
        this.errno = Math.abs(errno);
    }

    /** The errno, positive ({@code EISDIR} is 21). */
    public int errno() {
        return errno;
    }
}

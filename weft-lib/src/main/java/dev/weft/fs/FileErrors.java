package dev.weft.fs;

import dev.weft.uring.Errno;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The typed exception for a failed file operation: the JDK's {@code java.nio.file} type where one exists. */
final class FileErrors {

    private FileErrors() {
    }

    /**
     * {@code what} (the operation, e.g. {@code "read at offset 4096"}) on {@code path} failed with
     * {@code errno} (positive or negated).
     */
    static IOException of(String what, Path path, int errno) {
        int e = Math.abs(errno);
        String reason = what + " failed: " + Errno.name(e) + describe(e);
        String file = path.toString();
        return switch (e) {
            case Errno.ENOENT -> new NoSuchFileException(file, null, reason);
            case Errno.EEXIST -> new FileAlreadyExistsException(file, null, reason);
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(file, null, reason);
            default -> new FileException(file, reason, e);
        };
    }

    /** A short description of the errno, and what to do where that is clear. */
    private static String describe(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> " (no such file or directory)";
            case Errno.EEXIST -> " (the file exists; open without CREATE_NEW to use it)";
            case Errno.EACCES -> " (permission denied)";
            case Errno.EPERM -> " (operation not permitted)";
            case Errno.EISDIR -> " (it is a directory)";
            case Errno.ENOTDIR -> " (a component of the path is not a directory)";
            case Errno.EINVAL -> " (invalid argument: for DIRECT, the file system may not support direct I/O)";
            case Errno.ENOSPC -> " (no space left on the device)";
            case Errno.EDQUOT -> " (disk quota exceeded)";
            case Errno.EROFS -> " (read-only file system)";
            case Errno.EFBIG -> " (file too large)";
            case Errno.ELOOP -> " (too many levels of symbolic links)";
            case Errno.ENAMETOOLONG -> " (file name too long)";
            case Errno.EMFILE -> " (this process has too many open files)";
            case Errno.ENFILE -> " (the system has too many open files)";
            case Errno.EBADF -> " (bad file descriptor)";
            case Errno.EIO -> " (input/output error)";
            case Errno.ETXTBSY -> " (text file busy)";
            default -> "";
        };
    }
}

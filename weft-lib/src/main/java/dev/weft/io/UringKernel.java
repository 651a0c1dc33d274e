package dev.weft.io;

import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;

/**
 * Where the io_uring backend learns what the kernel has and gets its worker rings. The runtime
 * uses {@link #REAL}; tests swap in one that reports an older kernel's features (and opens rings
 * with only those), or that fails as a kernel would ({@link IoBackends#useKernel}).
 */
interface UringKernel {

    /** What the kernel's io_uring supports; called once per runtime, on the thread that starts it. */
    KernelFeatures probe() throws ErrnoException;

    /** A worker ring of {@code entries} SQ entries that uses only {@code features}. */
    Ring open(int entries, KernelFeatures features) throws ErrnoException;

    /** This machine's kernel. */
    UringKernel REAL = new UringKernel() {
        @Override
        public KernelFeatures probe() throws ErrnoException {
            return KernelFeatures.probe();
        }

        @Override
        public Ring open(int entries, KernelFeatures features) throws ErrnoException {
            return Ring.open(entries, features, true);
        }
    };
}

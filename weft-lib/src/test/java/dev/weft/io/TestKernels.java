package dev.weft.io;

import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;

/** Kernels for tests that probe this machine's io_uring but open their rings their own way. */
final class TestKernels {

    private TestKernels() {
    }

    /** How a test opens a worker's ring (smaller, faulty, recorded, ...). */
    @FunctionalInterface
    interface Opener {
        Ring open(int entries, KernelFeatures features) throws ErrnoException;
    }

    /** This machine's features, rings from {@code opener}; install with {@link IoBackends#useKernel}. */
    static UringKernel realProbe(Opener opener) {
        return opening(UringKernel.REAL, opener);
    }

    /** {@code kernel}'s features, rings from {@code opener}. */
    static UringKernel opening(UringKernel kernel, Opener opener) {
        return new UringKernel() {
            @Override
            public KernelFeatures probe() throws ErrnoException {
                return kernel.probe();
            }

            @Override
            public Ring open(int entries, KernelFeatures features) throws ErrnoException {
                return opener.open(entries, features);
            }
        };
    }
}

package dev.weft.io;

import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.OldKernels;
import dev.weft.uring.Ring;

/**
 * An older kernel on this machine: a {@link UringKernel} whose probe reports a cut-down feature
 * set ({@link OldKernels}) and whose rings use only that set. {@link #install} makes every
 * runtime the JVM starts from then on use it (the simulated-kernel test runs do this for the
 * whole net suite, see {@link SimulatedKernelExtension}).
 */
public final class SimulatedKernel implements UringKernel {

    private final String release;
    private final KernelFeatures fixed;

    private SimulatedKernel(String release, KernelFeatures fixed) {
        this.release = release;
        this.fixed = fixed;
    }

    /** Linux {@code release} ({@code "5.11"}, {@code "5.15"}, {@code "5.10"}) on this machine. */
    static UringKernel simulating(String release) {
        OldKernels.linux(release, fakeProbe()); // refuses an unknown release now, not at probe time
        return new SimulatedKernel(release, null);
    }

    /** A kernel whose probe reports exactly {@code features}. */
    static UringKernel reporting(KernelFeatures features) {
        return new SimulatedKernel(null, features);
    }

    /** Makes every runtime started from now on in this JVM run as on Linux {@code release}. */
    public static void install(String release) {
        IoBackends.useKernel(simulating(release));
    }

    /** The simulated release in use, or null when runtimes use this machine's kernel. */
    public static String installed() {
        return IoBackends.kernel() instanceof SimulatedKernel s ? s.release : null;
    }

    @Override
    public KernelFeatures probe() throws ErrnoException {
        return fixed != null ? fixed : OldKernels.linux(release, KernelFeatures.probe());
    }

    @Override
    public Ring open(int entries, KernelFeatures features) throws ErrnoException {
        return Ring.open(entries, features, true);
    }

    private static KernelFeatures fakeProbe() {
        return new KernelFeatures("?", new java.util.BitSet(), 0, 0, false, false, false, false);
    }
}

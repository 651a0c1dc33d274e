package dev.weft.io;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test run on a simulated older kernel: when the system property {@value #PROPERTY} names
 * a release ({@code 5.11}, {@code 5.15}), installs {@link SimulatedKernel} before each test class.
 * The build's simulated-kernel runs of the net suite set the property and enable JUnit's
 * extension auto-detection, which finds this class through {@code META-INF/services}.
 */
public final class SimulatedKernelExtension implements BeforeAllCallback {

    /** The system property naming the simulated release. */
    public static final String PROPERTY = "weft.test.kernel";

    @Override
    public void beforeAll(ExtensionContext context) {
        String release = System.getProperty(PROPERTY);
        if (release != null && !release.isBlank()) {
            SimulatedKernel.install(release.strip());
        }
    }
}

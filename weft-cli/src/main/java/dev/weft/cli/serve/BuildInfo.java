package dev.weft.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What Maven wrote into {@code dev/weft/cli/version.properties} when it built the command.
 *
 * @param version      weft's version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param uplotVersion the version of the charting library's WebJar on the class path, which says
 *                     where its files are ({@code META-INF/resources/webjars/uplot/<version>/})
 */
public record BuildInfo(String version, String uplotVersion) {

    private static final String RESOURCE = "/dev/weft/cli/version.properties";
    private static final String UNKNOWN = "(unknown: version.properties missing from the build)";

    /** Reads the build's properties; {@code (unknown ...)} for what the build did not write. */
    public static BuildInfo read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new BuildInfo(UNKNOWN, UNKNOWN);
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
        }
        return new BuildInfo(p.getProperty("version", "(unknown)"), p.getProperty("uplot", "(unknown)"));
    }
}

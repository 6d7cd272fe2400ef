package dev.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code ferry --version}: {@code ferry <version> (<commit>)}, both written into
 * {@code ferry-version.properties} by the build (Maven resource filtering, the commit from
 * git-commit-id-maven-plugin), so a binary always says which source it was built from. A value the build
 * could not fill in (no git checkout) reads as {@code unknown}. The resource is declared for the native image
 * in application.properties.
 */
public class FerryVersion implements IVersionProvider {

    static final String RESOURCE = "/ferry-version.properties";
    static final String UNKNOWN = "unknown";

    @Override
    public String[] getVersion() {
        try (InputStream in = FerryVersion.class.getResourceAsStream(RESOURCE)) {
            return new String[] { line(in) };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version line from the properties in {@code in} (null: no resource at all). */
    static String line(InputStream in) throws IOException {
        Properties build = new Properties();
        if (in != null) {
            build.load(in);
        }
        return "ferry " + filledIn(build.getProperty("version")) + " (" + filledIn(build.getProperty("commit")) + ")";
    }

    /** An expression left as {@code ${...}} means the build had no value for it. */
    private static String filledIn(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }
}

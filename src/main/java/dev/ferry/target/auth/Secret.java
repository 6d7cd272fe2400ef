package dev.ferry.target.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.ferry.core.ConfigurationError;

/**
 * A secret taken from a property ({@code ferry.target.bearer-token}) or from a file ({@code …-file}). A file is read
 * again when its modification time or size changed, looked at no more than once a second, so that a rotated
 * Kubernetes Secret (mounted as a file) is picked up by a long-lived {@code ferry serve} without a restart.
 * <p>
 * One trailing newline ({@code \n} or {@code \r\n}, as {@code echo} and editors leave) is dropped; any other control
 * character makes the value unusable: at start that is a {@link ConfigurationError} naming the property (exit 78),
 * and a rotated file that became unusable keeps the last good value, with a warning. Neither ever shows the value,
 * and {@link #toString()} does not either. Thread-safe.
 */
public final class Secret {

    private static final Logger LOG = Logger.getLogger(Secret.class);
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final String property;
    private final Path file;
    private final Clock clock;
    private volatile String value;
    private Instant checked;
    private Instant modified;
    private long size;

    private Secret(String property, String value, Path file, Clock clock) {
        this.property = property;
        this.value = value;
        this.file = file;
        this.clock = clock;
    }

    /**
     * The secret of {@code property} given either as a value or as a file ({@code property-file}).
     *
     * @return empty when neither is set
     * @throws ConfigurationError both are set, the file cannot be read, or the value is empty or holds a control
     *                            character
     */
    public static Optional<Secret> of(String property, Optional<String> value, Optional<Path> file, Clock clock) {
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigurationError(property, "set both " + property + " and " + property + "-file; keep one");
        }
        if (value.isPresent()) {
            return Optional.of(new Secret(property, usable(property, value.get()), null, clock));
        }
        if (file.isPresent()) {
            Secret secret = new Secret(property + "-file", null, file.get(), clock);
            secret.read();
            return Optional.of(secret);
        }
        return Optional.empty();
    }

    /** The property this secret comes from ({@code …-file} when from a file), for messages. */
    public String property() {
        return property;
    }

    /** The current value; a file is looked at again when a second has passed since the last look. */
    public String value() {
        if (file != null) {
            refresh();
        }
        return value;
    }

    private synchronized void refresh() {
        Instant now = clock.instant();
        if (checked != null && now.isBefore(checked.plus(CHECK_EVERY))) {
            return;
        }
        checked = now;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.lastModifiedTime().toInstant().equals(modified) && attributes.size() == size) {
                return;
            }
            read();
            LOG.infof("%s: %s changed; using its new value", property, file);
        } catch (IOException | ConfigurationError e) {
            LOG.warnf("%s: %s cannot be used now (%s); keeping the value read before", property, file,
                    e instanceof ConfigurationError ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    private synchronized void read() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new ConfigurationError(property, file + " is not a regular file");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            value = usable(property, text);
            modified = attributes.lastModifiedTime().toInstant();
            size = attributes.size();
            checked = clock.instant();
        } catch (IOException e) {
            throw new ConfigurationError(property, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The value without one trailing newline; refused (without echoing it) when empty or holding control characters. */
    static String usable(String property, String raw) {
        String trimmed = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2)
                : raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        if (trimmed.isEmpty()) {
            throw new ConfigurationError(property, "is empty");
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new ConfigurationError(property, "holds a control character (at position " + (i + 1)
                        + "); the value is not shown");
            }
        }
        return trimmed;
    }

    @Override
    public String toString() {
        return "Secret[" + property + (file == null ? "" : " from " + file) + "]";
    }
}

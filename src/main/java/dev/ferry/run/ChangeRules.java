package dev.ferry.run;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.ingest.SourceRecord;

/**
 * What ferry sends of what changed: records equal to the last version delivered are not sent
 * ({@code ferry.delivery.skip-unchanged}), and files named by {@code ferry.snapshot.pattern} are full exports whose
 * absent keys are deleted, unless that would be more than {@code ferry.snapshot.max-delete-ratio} of the keys.
 * Immutable.
 */
final class ChangeRules {

    private final boolean skipUnchanged;
    private final Optional<PathMatcher> snapshots;
    private final double maxDeleteRatio;

    private ChangeRules(boolean skipUnchanged, Optional<PathMatcher> snapshots, double maxDeleteRatio) {
        this.skipUnchanged = skipUnchanged;
        this.snapshots = snapshots;
        this.maxDeleteRatio = maxDeleteRatio;
    }

    /** @throws ConfigurationError {@code ferry.snapshot.pattern} is not a glob (exit 78) */
    static ChangeRules of(FerryConfig config) {
        Optional<PathMatcher> snapshots = config.snapshot().pattern().filter(p -> !p.isBlank()).map(ChangeRules::glob);
        return new ChangeRules(config.delivery().skipUnchanged(), snapshots, config.snapshot().maxDeleteRatio());
    }

    private static PathMatcher glob(String pattern) {
        if (pattern.contains("/")) {
            throw new ConfigurationError("ferry.snapshot.pattern", "'" + pattern
                    + "' names a folder: the pattern matches file names in inbox/ (e.g. customers-*.csv)");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigurationError("ferry.snapshot.pattern", "'" + pattern + "' is not a glob: "
                    + e.getDescription());
        }
    }

    /** Whether {@code record} may settle as unchanged without a request, if it equals the last version delivered. */
    boolean skipsUnchanged(SourceRecord record) {
        return skipUnchanged && record.skippable();
    }

    /** Whether the file named {@code name} is a full snapshot. */
    boolean isSnapshot(String name) {
        if (snapshots.isEmpty()) {
            return false;
        }
        try {
            return snapshots.get().matches(Path.of(name));
        } catch (InvalidPathException notAPath) {
            return false; // a name no pattern can match
        }
    }

    double maxDeleteRatio() {
        return maxDeleteRatio;
    }
}

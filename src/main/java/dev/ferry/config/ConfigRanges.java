package dev.ferry.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValidationException.Problem;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * The bounds of the numeric {@code ferry.*} properties, checked when the configuration is read: this customizer
 * (registered in META-INF/services) sets the SmallRye Config validator. A value out of range is a configuration error
 * naming the property, the value and the bound (exit 78), before any command starts.
 * <p>
 * Written out here rather than as Bean Validation annotations on {@link FerryConfig}: Hibernate Validator builds
 * metadata for every configuration mapping of the application at start, which cost 0.2 s of the 0.7 s a run takes to
 * start and a third of an empty run's CPU (BENCHMARKS.md, issue 18), for these fifteen comparisons.
 */
public final class ConfigRanges implements SmallRyeConfigBuilderCustomizer {

    private final List<Problem> problems = new ArrayList<>();

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withValidator((mapping, prefix, config) -> check(config));
    }

    /** @throws ConfigValidationException naming every property out of range */
    static void check(Object config) {
        if (config instanceof FerryConfig ferry) {
            List<Problem> found = problems(ferry);
            if (!found.isEmpty()) {
                throw new ConfigValidationException(found.toArray(Problem[]::new));
            }
        }
    }

    /** One problem per property out of range. */
    static List<Problem> problems(FerryConfig config) {
        ConfigRanges ranges = new ConfigRanges();
        ranges.atLeast("ferry.record.max-bytes", config.record().maxBytes(), 16);
        ranges.atLeast("ferry.record.max-key-bytes", config.record().maxKeyBytes(), 1);
        ranges.atLeast("ferry.retry.max-retries", config.retry().maxRetries(), 0);
        ranges.atLeast("ferry.retry.budget", config.retry().budget(), -1);
        ranges.atLeast("ferry.breaker.failure-threshold", config.breaker().failureThreshold(), 1);
        ranges.atLeast("ferry.delivery.concurrency", config.delivery().concurrency(), 1);
        ranges.above("ferry.delivery.rate-limit", config.delivery().rateLimit(), 0);
        ranges.atLeast("ferry.delivery.refusal-stop", config.delivery().refusalStop(), 0);
        ranges.between("ferry.snapshot.max-delete-ratio", config.snapshot().maxDeleteRatio(), 0, 1);
        ranges.atLeast("ferry.failed.max-runs", config.failed().maxRuns(), 1);
        double share = config.replay().maxShare();
        if (!(share > 0 && share <= 1)) {
            ranges.problem("ferry.replay.max-share", share, "must be above 0 and at most 1");
        }
        ranges.atLeast("ferry.shard.count", config.shard().count(), 1);
        ranges.atLeast("ferry.shard.index", config.shard().index(), 0);
        ranges.between("ferry.run.work-left-exit-code", config.run().workLeftExitCode(), 0, 255);
        ranges.atLeast("ferry.verify.rate", config.verify().rate(), 0.001);
        // 0 or less: every verify would stop before its first read, exit 75, for ever
        config.verify().budget().ifPresent(budget -> ranges.atLeast("ferry.verify.budget", budget, 1));
        // 0 would be no timeout at all (a hang); the HTTP client keeps its timeouts as int milliseconds
        ranges.between("ferry.request.timeout", config.request().timeout(), Duration.ofMillis(1), Duration.ofDays(1));
        ranges.between("ferry.breaker.delay", config.breaker().delay(), Duration.ZERO, Duration.ofDays(365));
        // 0 or less: every run would stop before its first record, exit 75, for ever
        ranges.between("ferry.run.max-duration", config.run().maxDuration(), Duration.ofMillis(1),
                Duration.ofDays(365));
        return ranges.problems;
    }

    private void between(String property, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(new Problem(property + " must be between " + text(min) + " and " + text(max) + " (it is "
                    + text(value) + ")"));
        }
    }

    private static String text(Duration duration) {
        if (duration.toDaysPart() != 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + "d";
        }
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private void atLeast(String property, double value, double min) {
        if (!(value >= min)) { // NaN too
            problem(property, value, "must be at least " + number(min));
        }
    }

    private void above(String property, OptionalDouble value, double min) {
        if (value.isPresent() && !(value.getAsDouble() > min)) {
            problem(property, value.getAsDouble(), "must be above " + number(min));
        }
    }

    private void between(String property, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            problem(property, value, "must be between " + number(min) + " and " + number(max));
        }
    }

    private void problem(String property, double value, String rule) {
        problems.add(new Problem(property + " " + rule + " (it is " + number(value) + ")"));
    }

    private static String number(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}

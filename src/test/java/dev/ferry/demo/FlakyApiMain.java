package dev.ferry.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.vertx.core.Vertx;

/**
 * Runs a {@link FlakyApi} on its own until killed, printing {@code listening on http://127.0.0.1:PORT}.
 *
 * <pre>
 * --port N (0: any free port)   --seed N        --demo (start from FaultPlan.demo(seed))
 * --error-rate R   --429-rate R   --retry-after-s N (negative: no header)   --reset-rate R
 * --slow-rate R    --slow-ms N    --commit-then-504-rate R   --latency-ms N
 * --outage-after-ms N --outage-ms N   --reject-keys a,b,c   --unauthorized   --not-idempotent
 * --late-apply-rate R   --late-apply-ms N (answer 504, apply N ms later)
 * </pre>
 *
 * In test sources, for in-process use; to run it as its own JVM after {@code ./mvnw test-compile}:
 *
 * <pre>
 * ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.ferry.demo.FlakyApiMain --demo --seed 1
 * </pre>
 */
public final class FlakyApiMain {

    private static final Set<String> SWITCHES = Set.of("demo", "unauthorized", "not-idempotent");
    private static final Set<String> OPTIONS = Set.of("port", "seed", "error-rate", "429-rate", "retry-after-s",
            "reset-rate", "slow-rate", "slow-ms", "commit-then-504-rate", "latency-ms", "outage-after-ms",
            "outage-ms", "reject-keys", "late-apply-rate", "late-apply-ms");

    private FlakyApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> flags = flags(args);
        Vertx vertx = Vertx.vertx();
        FlakyApi api = FlakyApi.start(vertx, plan(flags), Integer.parseInt(flags.getOrDefault("port", "0")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            vertx.close();
        }));
        System.out.println("listening on " + api.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** {@code --name value} and {@code --switch} into name → value ("true" for a switch). */
    static Map<String, String> flags(String... args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (SWITCHES.contains(name)) {
                flags.put(name, "true");
            } else if (OPTIONS.contains(name) && i + 1 < args.length) {
                flags.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete flag " + args[i] + "; flags: --"
                        + String.join(" --", SWITCHES) + " --" + String.join(" --", OPTIONS));
            }
        }
        return flags;
    }

    static FaultPlan plan(Map<String, String> flags) {
        long seed = Long.parseLong(flags.getOrDefault("seed", "0"));
        FaultPlan.Builder plan = flags.containsKey("demo") ? FaultPlan.demo(seed).toBuilder()
                : FaultPlan.builder().seed(seed);
        rate(flags, "error-rate", plan::error5xxRate);
        rate(flags, "429-rate", plan::tooManyRequestsRate);
        rate(flags, "reset-rate", plan::resetRate);
        rate(flags, "slow-rate", plan::slowRate);
        rate(flags, "commit-then-504-rate", plan::commitThen504Rate);
        rate(flags, "late-apply-rate", plan::lateApplyRate);
        millis(flags, "late-apply-ms", plan::lateApplyDelay);
        millis(flags, "slow-ms", plan::slowDelay);
        millis(flags, "latency-ms", plan::latency);
        if (flags.containsKey("retry-after-s")) {
            long seconds = Long.parseLong(flags.get("retry-after-s"));
            plan.retryAfter(seconds < 0 ? null : Duration.ofSeconds(seconds));
        }
        if (flags.containsKey("outage-ms")) {
            plan.outage(Duration.ofMillis(Long.parseLong(flags.getOrDefault("outage-after-ms", "0"))),
                    Duration.ofMillis(Long.parseLong(flags.get("outage-ms"))));
        }
        if (flags.containsKey("reject-keys")) {
            plan.rejectKeys(Set.copyOf(List.of(flags.get("reject-keys").split(","))));
        }
        return plan.unauthorized(flags.containsKey("unauthorized"))
                .idempotent(!flags.containsKey("not-idempotent")).build();
    }

    private static void rate(Map<String, String> flags, String name, java.util.function.DoubleConsumer setter) {
        if (flags.containsKey(name)) {
            setter.accept(Double.parseDouble(flags.get(name)));
        }
    }

    private static void millis(Map<String, String> flags, String name,
            java.util.function.Consumer<Duration> setter) {
        if (flags.containsKey(name)) {
            setter.accept(Duration.ofMillis(Long.parseLong(flags.get(name))));
        }
    }
}

package dev.ferry.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.demo.FlakyStats;
import io.vertx.core.Vertx;

/**
 * The loopback stub of {@code bench/run.sh}: a {@link FlakyApi} (no faults unless asked), run as its own JVM
 * until killed. Prints {@code listening on http://127.0.0.1:PORT}.
 *
 * <pre>
 * --port N                 0 (default): any free port
 * --latency-ms N           added to every answer
 * --outage-from-first-ms N every request gets 503 from the first request on, for N ms; then the API is healthy
 * --log FILE               a request log sampled every --log-every-ms (default 10): one line per change,
 *                          "epochMillis requests answered2xx answered503 answeredOther"; "# ..." lines mark events
 * </pre>
 *
 * The log samples {@link FlakyApi#stats()}, which walks every Idempotency-Key seen: use it for small runs only.
 */
public final class BenchStub {

    private BenchStub() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --flag value pairs, got " + args[i]);
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        long outageMillis = Long.parseLong(flags.getOrDefault("outage-from-first-ms", "0"));
        Duration latency = Duration.ofMillis(Long.parseLong(flags.getOrDefault("latency-ms", "0")));
        FaultPlan.Builder plan = FaultPlan.builder().latency(latency);
        if (outageMillis > 0) {
            plan.outage(Duration.ZERO, Duration.ofDays(1)); // until the first request; then N ms from there
        }
        FaultPlan base = plan.build();
        long startNanos = System.nanoTime(); // before FlakyApi's own start: our elapsed time >= the server's
        Vertx vertx = Vertx.vertx();
        FlakyApi api = FlakyApi.start(vertx, base, Integer.parseInt(flags.getOrDefault("port", "0")));

        PrintWriter log = flags.containsKey("log")
                ? new PrintWriter(Files.newBufferedWriter(Path.of(flags.get("log")), StandardCharsets.UTF_8), true)
                : null;
        if (log != null || outageMillis > 0) {
            long every = Long.parseLong(flags.getOrDefault("log-every-ms", "10"));
            long[] last = {-1, -1, -1, -1};
            boolean[] outageArmed = {false};
            vertx.setPeriodic(every, id -> {
                FlakyStats stats = api.stats();
                long now = System.currentTimeMillis();
                if (outageMillis > 0 && !outageArmed[0] && stats.requests() > 0) {
                    outageArmed[0] = true;
                    Duration end = Duration.ofNanos(System.nanoTime() - startNanos).plusMillis(outageMillis);
                    api.plan(FaultPlan.builder().latency(latency).outage(Duration.ZERO, end).build());
                    if (log != null) {
                        log.println("# first-request-seen " + now);
                        log.println("# outage-ends " + (now + outageMillis));
                    }
                }
                long ok = 0;
                long unavailable = 0;
                long other = 0;
                for (Map.Entry<Integer, Long> e : stats.statuses().entrySet()) {
                    if (e.getKey() >= 200 && e.getKey() < 300) {
                        ok += e.getValue();
                    } else if (e.getKey() == 503) {
                        unavailable += e.getValue();
                    } else {
                        other += e.getValue();
                    }
                }
                long[] now4 = {stats.requests(), ok, unavailable, other};
                if (log != null && !java.util.Arrays.equals(now4, last)) {
                    log.println(now + " " + now4[0] + " " + now4[1] + " " + now4[2] + " " + now4[3]);
                    System.arraycopy(now4, 0, last, 0, 4);
                }
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            vertx.close();
            if (log != null) {
                log.close();
            }
        }));
        System.out.println("listening on " + api.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}

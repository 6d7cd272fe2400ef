package dev.ferry.probe;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Sends RECORDS PUTs, CONCURRENCY in flight, through the REST client and the fault-tolerance annotations of ferry's
 * design, one of four ways:
 * <ul>
 * <li>{@code blocking}: as ferry does, each call parks a worker thread until its answer ({@code @CircuitBreaker}
 * around {@code @Retry}/{@code @Timeout} around the REST client);</li>
 * <li>{@code async}: the same annotations on methods returning {@code Uni}, which SmallRye guards without blocking a
 * thread; the next request of a lane starts from the previous one's answer;</li>
 * <li>{@code async-await}: the {@code async} annotations and methods, each call awaited by a worker thread as in
 * {@code blocking} (a blocking caller of the non-blocking chain);</li>
 * <li>{@code blocking-bare}, {@code async-bare}: the REST client alone, without fault tolerance.</li>
 * </ul>
 * No reading, keys, checkpoints or metrics of ferry's own: what this reaches is what ferry could reach at most on
 * that stack. Prints {@code PROBE_PROGRESS R records/s} every 2 s and, at the end,
 * {@code PROBE_RESULT mode=M records=N seconds=S cpu_seconds=C steady_rate=R steady_cpu_us=U}: the whole run, and
 * its second half (records/s, CPU µs a record of the whole process).
 *
 * <pre>java -Dprobe.concurrency=C -jar quarkus-run.jar MODE BASE_URL RECORDS</pre>
 */
@QuarkusMain
public class Probe implements QuarkusApplication {

    @Inject
    Breaker breaker;

    @Inject
    Attempts attempts;

    private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
            .getOperatingSystemMXBean();
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private long records;
    private String base;
    private CountDownLatch done;
    private volatile long halfNanos;
    private volatile long halfCpu;

    @Override
    public int run(String... args) throws Exception {
        String mode = args[0];
        base = args[1];
        records = Long.parseLong(args[2]);
        int concurrency = Integer.getInteger("probe.concurrency", 8);
        done = new CountDownLatch(concurrency);
        Thread progress = new Thread(this::progress, "probe-progress");
        progress.setDaemon(true);
        progress.start();
        long t0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        for (int lane = 0; lane < concurrency; lane++) {
            switch (mode) {
                case "blocking" -> thread(() -> blockingLane(Way.GUARDED));
                case "blocking-bare" -> thread(() -> blockingLane(Way.BARE));
                case "async-await" -> thread(() -> blockingLane(Way.GUARDED_AWAITED));
                case "async" -> asyncLane(false);
                case "async-bare" -> asyncLane(true);
                default -> throw new IllegalArgumentException("mode: blocking, async, async-await, blocking-bare or async-bare");
            }
        }
        if (!done.await(900, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 900 s");
        }
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        long half = records - records / 2;
        System.out.printf("PROBE_RESULT mode=%s records=%d seconds=%.3f cpu_seconds=%.2f steady_rate=%.0f "
                + "steady_cpu_us=%.1f failures=%d%n", mode, records, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9,
                half / ((t1 - halfNanos) / 1e9), (cpu1 - halfCpu) / 1e3 / half, failures.get());
        return failures.get() == 0 ? 0 : 1;
    }

    private static void thread(Runnable lane) {
        Thread thread = new Thread(lane, "probe-worker");
        thread.setDaemon(true);
        thread.start();
    }

    private enum Way {
        GUARDED, BARE, GUARDED_AWAITED
    }

    private void blockingLane(Way way) {
        for (long i = next.incrementAndGet(); i <= records; i = next.incrementAndGet()) {
            Request request = request(i);
            try {
                switch (way) {
                    case GUARDED -> breaker.deliver(request.url, request.idempotencyKey, request.body);
                    case BARE -> attempts.sendBare(request.url, request.idempotencyKey, request.body);
                    case GUARDED_AWAITED -> breaker.deliverAsync(request.url, request.idempotencyKey, request.body)
                            .await().indefinitely();
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
            }
            answered();
        }
        done.countDown();
    }

    /** One lane's next request, started from the previous one's answer (on the event loop). */
    private void asyncLane(boolean bare) {
        long i = next.incrementAndGet();
        if (i > records) {
            done.countDown();
            return;
        }
        Request request = request(i);
        (bare ? attempts.sendBareAsync(request.url, request.idempotencyKey, request.body)
                : breaker.deliverAsync(request.url, request.idempotencyKey, request.body))
                .subscribe().with(status -> {
                    answered();
                    asyncLane(bare);
                }, failure -> {
                    failures.incrementAndGet();
                    answered();
                    asyncLane(bare);
                });
    }

    private void answered() {
        if (answered.incrementAndGet() == records / 2) {
            halfNanos = System.nanoTime();
            halfCpu = os.getProcessCpuTime();
        }
    }

    /** A record like bench/put.lua's and benchmark 1's: unique key and 64-character Idempotency-Key. */
    private Request request(long i) {
        String key = String.format("p-%07d", i);
        String body = String.format("{\"id\":\"%s\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\","
                + "\"amount\":\"%d.%02d\",\"currency\":\"EUR\",\"note\":\"benchmark record\"}", key, i, i, i % 10000,
                i % 100);
        return new Request(URI.create(base + "/records/" + key), String.format("%064d", i),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void progress() {
        long last = 0;
        long lastNanos = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long n = answered.get();
            System.out.printf("PROBE_PROGRESS %.1f records/s%n", (n - last) / ((now - lastNanos) / 1e9));
            last = n;
            lastNanos = now;
        }
    }

    private record Request(URI url, String idempotencyKey, byte[] body) {
    }
}

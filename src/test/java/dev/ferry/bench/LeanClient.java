package dev.ferry.bench;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A diagnostic for benchmark 1 of {@code bench/run.sh}: ferry's essential per-record work without its framework
 * stack. Reads an NDJSON file, and for each line does what ferry must (Jackson parse, key, SHA-256 Idempotency-Key
 * over the canonical JSON, serialize the body) and PUTs it with a bare Vert.x HttpClient, {@code concurrency}
 * requests in flight. No REST client, fault tolerance, metrics, checkpoints. Prints
 * {@code LEAN_RESULT records=N seconds=S cpu_seconds=C}, both measured from the first record to the last answer
 * (JVM start excluded), CPU for the whole process; and {@code LEAN_PROGRESS R records/s} every 2 s.
 *
 * <pre>java -cp ... dev.ferry.bench.LeanClient BASE_URL FILE CONCURRENCY</pre>
 */
public final class LeanClient {

    private LeanClient() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // Vert.x threads would keep the JVM alive
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        String base = args[0];
        Path file = Path.of(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        java.net.URI uri = java.net.URI.create(base);
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()),
                new PoolOptions().setHttp1MaxSize(concurrency));
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                .getOperatingSystemMXBean();
        Semaphore window = new Semaphore(concurrency);
        AtomicLong failures = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        CountDownLatch allDone = new CountDownLatch(1);
        long records = 0;
        AtomicLong answered = new AtomicLong();
        long[] last = {0, System.nanoTime()};
        vertx.setPeriodic(2000, id -> { // records/s per 2 s, as ferry's progress lines
            long now = System.nanoTime();
            long n = answered.get();
            System.out.printf("LEAN_PROGRESS %.1f records/s%n", (n - last[0]) / ((now - last[1]) / 1e9));
            last[0] = n;
            last[1] = now;
        });
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            outstanding.incrementAndGet(); // the reader's own share, released at the end of the file
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode record = (ObjectNode) Json.MAPPER.readTree(line);
                String key = RecordKeys.keyOf(record, "id");
                String idempotencyKey = RecordKeys.idempotencyKey(key, record, RecordKeys.origin("lean", 0));
                Buffer body = Buffer.buffer(Json.write(record));
                String path = "/records/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
                window.acquire();
                outstanding.incrementAndGet();
                records++;
                client.request(new RequestOptions().setMethod(HttpMethod.PUT).setURI(path)
                        .putHeader("Content-Type", "application/json").putHeader("Idempotency-Key", idempotencyKey))
                        .compose(request -> request.send(body))
                        .compose(response -> response.body().map(response.statusCode()))
                        .onComplete(result -> {
                            if (result.failed() || result.result() >= 300) {
                                failures.incrementAndGet();
                            }
                            answered.incrementAndGet();
                            window.release();
                            if (outstanding.decrementAndGet() == 0) {
                                allDone.countDown();
                            }
                        });
            }
        }
        if (outstanding.decrementAndGet() == 0) {
            allDone.countDown();
        }
        if (!allDone.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("answers missing after 600 s");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("LEAN_RESULT records=%d seconds=%.3f cpu_seconds=%.2f failures=%d%n", records, seconds, cpu,
                failures.get());
        client.close();
        vertx.close();
    }
}

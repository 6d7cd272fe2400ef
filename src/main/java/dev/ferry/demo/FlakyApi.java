package dev.ferry.demo;

import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * An embedded record store on 127.0.0.1 that fails as its {@link FaultPlan} says: the API of {@code ferry demo},
 * the chaos test, the verify tests and the benchmarks. Plain Vert.x core, handlers on one event loop, delays
 * through timers.
 * <ul>
 * <li>{@code PUT|POST|PATCH /records/{key}} stores the JSON body (201 first time, then 200); a known
 * Idempotency-Key gets its remembered answer without a second write, one still in flight gets 409.</li>
 * <li>{@code GET /records/{key}}: the stored value, or 404.</li>
 * <li>{@code DELETE /records/{key}} removes the record (204; 404 when there is none), with the faults and the
 * Idempotency-Key rules of a write.</li>
 * <li>{@code GET /_state}: every key and value; {@code GET /_stats}: {@link FlakyStats};
 * {@code POST /_reset}: forget everything. These three never fail.</li>
 * </ul>
 * A write is in flight from its arrival to its answer, {@code latency} included; slow and reset writes never
 * reach the store, so a client that gave up on them may send again without a violation being counted. A late write
 * ({@link FaultPlan#lateApplyRate}) is answered 504 and lands later on a Vert.x timer, outside any request.
 */
public final class FlakyApi implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final String RECORDS = "/records/";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Internal: the size of a huge body that reply streams instead of the answer's body. */
    private static final String PADDING = "X-Flaky-Padding";

    private final Vertx vertx;
    private final HttpServer server;
    private final RecordStore store = new RecordStore();
    private final long startedAt = System.nanoTime();
    private volatile FaultPlan plan;

    private FlakyApi(Vertx vertx, FaultPlan plan) {
        this.vertx = vertx;
        this.plan = plan;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(this::handle);
    }

    /** Starts on a free port; see {@link #start(Vertx, FaultPlan, int)}. */
    public static FlakyApi start(Vertx vertx, FaultPlan plan) {
        return start(vertx, plan, 0);
    }

    /**
     * Listens on {@code 127.0.0.1:port} ({@code 0}: any free port) and returns once bound. Blocks, so not to be
     * called on an event loop. Outage windows count from here.
     */
    public static FlakyApi start(Vertx vertx, FaultPlan plan, int port) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("FlakyApi.start blocks; call it off the event loop");
        }
        FlakyApi api = new FlakyApi(vertx, plan);
        await(api.server.listen(port, HOST), "cannot listen on " + HOST + ":" + port);
        return api;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:PORT}, the value for {@code ferry.target.url}. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port();
    }

    public FaultPlan plan() {
        return plan;
    }

    /** Swaps the faults for the requests that arrive from now on. */
    public synchronized void plan(FaultPlan plan) {
        this.plan = plan;
    }

    /** Every request gets 503 from now on for {@code length}. */
    public synchronized void outage(Duration length) {
        plan = plan.toBuilder().outage(sinceStart(), length).build();
    }

    /** Every stored key and value, in key order. */
    public Map<String, JsonNode> state() {
        return store.state();
    }

    public FlakyStats stats() {
        return store.stats();
    }

    /**
     * Changes a stored record behind the client's back, as another writer would ({@code null} deletes it):
     * what {@code ferry verify} is there to find.
     */
    public void drift(String key, JsonNode value) {
        store.drift(key, value);
    }

    /** Forgets records, remembered Idempotency-Keys and counters, as {@code POST /_reset}. */
    public void reset() {
        store.clear();
    }

    /** Lands every late write that still waits, now, in the order they arrived; returns how many. */
    public int landLateWrites() {
        return store.landLate();
    }

    /** Waits until {@code count} late writes have landed since the start or last reset; false when time ran out. */
    public boolean awaitLateApplied(long count, Duration timeout) throws InterruptedException {
        return store.awaitLateApplied(count, timeout.toMillis());
    }

    /** Stops listening; the Vert.x instance stays the caller's. */
    @Override
    public void close() {
        await(server.close(), "cannot close the server");
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith(RECORDS)) {
            records(request, path.substring(RECORDS.length()));
            return;
        }
        switch (request.method().name() + " " + path) {
            case "GET /_state" -> reply(request, Answer.of(200, store.state()));
            case "GET /_stats" -> reply(request, Answer.of(200, store.stats()));
            case "POST /_reset" -> {
                store.clear();
                reply(request, new Answer(204, "", Map.of()));
            }
            default -> reply(request, Answer.error(404, "no such route: " + path));
        }
    }

    private void records(HttpServerRequest request, String rawKey) {
        HttpMethod method = request.method();
        boolean delete = method == HttpMethod.DELETE;
        boolean write = method == HttpMethod.PUT || method == HttpMethod.POST || method == HttpMethod.PATCH || delete;
        String key = decode(rawKey);
        String idempotencyKey = write ? request.getHeader(IDEMPOTENCY_KEY) : null;
        String identity = idempotencyKey != null ? idempotencyKey : method + " " + key;
        int occurrence = store.arrived(idempotencyKey, identity);
        if (!write && method != HttpMethod.GET) {
            answer(request, Answer.error(405, "method not allowed").with("Allow", "GET, PUT, POST, PATCH, DELETE"));
            return;
        }
        if (key == null || key.isEmpty()) {
            answer(request, Answer.error(400, "bad record key: " + rawKey));
            return;
        }
        FaultPlan faults = plan;
        boolean chosenLate = write && faults.lateApplyKey().test(key) && store.firstWrite(key);
        Fault fault = Fault.pick(faults, sinceStart(), write, identity, occurrence, chosenLate);
        if (fault.kind() == Fault.Kind.RESET) {
            store.reset();
            request.connection().close();
            return;
        }
        request.body().onSuccess(body -> {
            if (fault.kind() == Fault.Kind.SLOW) {
                later(faults.slowDelay(), () -> answer(request, Answer.error(504, "injected: too slow")));
            } else if (!write) {
                later(faults.latency(), () -> answer(request, read(faults, fault, key)));
            } else {
                boolean owner = store.enter(key, idempotencyKey);
                // a client that closed the connection (it timed out) no longer has this request in flight
                AtomicBoolean left = new AtomicBoolean();
                Runnable leave = () -> {
                    if (left.compareAndSet(false, true)) {
                        store.leave(key, idempotencyKey, owner);
                    }
                };
                request.connection().closeHandler(closed -> leave.run());
                later(faults.latency(), () -> {
                    Answer answer = !owner ? Answer.error(409, "a request with this Idempotency-Key is in flight")
                            : delete ? remove(faults, fault, key, idempotencyKey)
                                    : write(faults, fault, key, idempotencyKey, body);
                    leave.run();
                    answer(request, answer);
                });
            }
        });
    }

    private Answer read(FaultPlan faults, Fault fault, String key) {
        Answer failure = failure(faults, fault);
        if (failure != null) {
            return failure;
        }
        return store.get(key).map(value -> Answer.of(200, value))
                .orElseGet(() -> Answer.error(404, "no record " + key));
    }

    private Answer write(FaultPlan faults, Fault fault, String key, String idempotencyKey, Buffer body) {
        Answer failure = failure(faults, fault);
        if (failure != null) {
            return failure;
        }
        JsonNode json;
        try {
            json = Json.read(body.toString(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            return Answer.error(400, "body is not JSON");
        }
        if (json.isMissingNode()) {
            return Answer.error(400, "body is empty");
        }
        if (faults.rejectKey().test(key)) {
            return Answer.error(422, "record " + key + " refused");
        }
        if (faults.poisonKey().test(key)) {
            return padded(faults, Answer.error(500, "injected: record " + key + " always fails"));
        }
        // a late write is held back behind the API's idempotency: a request it remembers is answered from memory
        if (fault.kind() == Fault.Kind.LATE_APPLY && !(faults.idempotent() && store.remembers(idempotencyKey))) {
            long order = store.acceptedLate(key, json, idempotencyKey);
            later(faults.lateApplyDelay(), () -> store.land(order));
            return Answer.error(504, "injected: the gateway gave up; the write lands later");
        }
        Answer stored = store.write(key, json, idempotencyKey, faults.idempotent());
        // only a fresh write is "committed": a replay of a known Idempotency-Key gets its remembered answer
        boolean committed = stored.status() < 300 && !stored.isReplay();
        return fault.kind() == Fault.Kind.COMMIT_THEN_504 && committed
                ? Answer.error(504, "injected: timed out after commit") : stored;
    }

    /** A DELETE: 204 when the record was there, 404 when not; the faults of a write apply. */
    private Answer remove(FaultPlan faults, Fault fault, String key, String idempotencyKey) {
        Answer failure = failure(faults, fault);
        if (failure != null) {
            return failure;
        }
        Answer removed = store.delete(key, idempotencyKey, faults.idempotent());
        boolean committed = removed.status() < 300 && !removed.isReplay();
        return fault.kind() == Fault.Kind.COMMIT_THEN_504 && committed
                ? Answer.error(504, "injected: timed out after commit") : removed;
    }

    /** The answer of a fault that keeps the request from the store, or null. */
    private static Answer failure(FaultPlan faults, Fault fault) {
        Answer answer = switch (fault.kind()) {
            case UNAUTHORIZED -> Answer.error(401, "injected: unauthorized");
            case MISROUTED -> Answer.html(404, "<html><body><h1>404 Not Found</h1>nginx</body></html>");
            case REDIRECT -> Answer.html(301, "<html><body>Moved</body></html>").with("Location", "/v2/records");
            case OUTAGE -> fault.status() == 503 ? Answer.error(503, "injected: outage")
                    : Answer.html(fault.status(), "<html><body><h1>Error " + fault.status()
                            + "</h1>The origin web server is not reachable (injected)</body></html>");
            case ERROR -> Answer.error(fault.status(), "injected: server error");
            case TOO_MANY_REQUESTS -> faults.retryAfter()
                    .map(wait -> Answer.error(429, "injected: too many requests").with("Retry-After", wait))
                    .orElseGet(() -> Answer.error(429, "injected: too many requests"));
            default -> null;
        };
        return answer == null ? null : padded(faults, answer);
    }

    /** An error answer with a body of {@code errorBodyBytes} when the plan asks for huge bodies (streamed in reply). */
    private static Answer padded(FaultPlan faults, Answer answer) {
        int size = faults.errorBodyBytes();
        return size <= 0 ? answer : new Answer(answer.status(), "", answer.headers())
                .with("Content-Type", "text/plain").with(PADDING, Integer.toString(size));
    }

    private void later(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) {
            action.run();
        } else {
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
        }
    }

    private void answer(HttpServerRequest request, Answer answer) {
        store.answered(answer.status());
        reply(request, answer);
    }

    private static void reply(HttpServerRequest request, Answer answer) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(answer.status());
        String padding = answer.headers().get(PADDING);
        answer.headers().forEach((name, value) -> {
            if (!name.equals(PADDING)) {
                response.putHeader(name, value);
            }
        });
        if (padding != null) {
            stream(response, Integer.parseInt(padding));
        } else if (answer.body().isEmpty()) {
            response.end();
        } else {
            if (!answer.headers().containsKey("Content-Type")) {
                response.putHeader("Content-Type", "application/json");
            }
            response.end(answer.body());
        }
    }

    /** Writes {@code bytes} of 'x' in chunks, never holding the whole body, as long as the client reads. */
    private static void stream(HttpServerResponse response, int bytes) {
        Buffer chunk = Buffer.buffer("x".repeat(64 * 1024));
        response.setChunked(true);
        int[] left = { bytes };
        Runnable[] more = new Runnable[1];
        more[0] = () -> {
            while (left[0] > 0 && !response.writeQueueFull() && !response.closed()) {
                int size = Math.min(left[0], chunk.length());
                response.write(size == chunk.length() ? chunk : chunk.getBuffer(0, size));
                left[0] -= size;
            }
            if (response.closed()) {
                return;
            }
            if (left[0] > 0) {
                response.drainHandler(drained -> more[0].run());
            } else {
                response.end();
            }
        };
        more[0].run();
    }

    /** Percent-decoding of a path segment: '+' stays '+'. Null when malformed. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    private static <T> T await(Future<T> future, String failure) {
        try {
            return future.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IllegalStateException(failure, e.getCause());
        }
    }
}

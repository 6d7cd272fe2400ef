package dev.ferry;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import io.vertx.core.Vertx;

/**
 * The embedded FlakyApi for the packaged-jar tests, one Vert.x instance a test: opened before it, closed after it,
 * which closes every API started on it. Registered as a field:
 * {@code @RegisterExtension final FlakyApis apis = new FlakyApis();}.
 */
final class FlakyApis implements BeforeEachCallback, AfterEachCallback {

    private Vertx vertx;

    @Override
    public void beforeEach(ExtensionContext context) {
        vertx = Vertx.vertx();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** An API serving this test with the given faults; a chaos test starts it once it has drawn its seed. */
    FlakyApi start(FaultPlan plan) {
        return FlakyApi.start(vertx, plan);
    }
}

package dev.ferry.requeue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.ferry.TestData;
import dev.ferry.core.ExitCodes;
import dev.ferry.core.Json;
import dev.ferry.core.Shard;
import dev.ferry.run.FerryRun;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedEntry;
import dev.ferry.state.RejectedEntry;
import dev.ferry.state.RequeueJournal;
import dev.ferry.state.RunLock;
import dev.ferry.state.RunReport;
import dev.ferry.status.Backlog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.wiremock.devservice.ConnectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * ferry requeue and the runs of shard 1 of 2 against WireMock (shard 0 is played by its lock and folders): a requeue
 * puts each record in its own shard's failed/ folder and this shard's next run delivers only its own; a requeue's
 * move left incomplete stops this shard's run (exit 75, nothing sent) while shard 0's lock is held, and is completed
 * by the first run that gets both locks.
 */
@QuarkusTest
@ConnectWireMock
@TestProfile(RequeueShardsRunTest.SecondOfTwo.class)
class RequeueShardsRunTest {

    static final Shard ME = new Shard(1, 2);
    static final Shard OTHER = new Shard(0, 2);
    static final String REJECTED = "g000000000000-run0-shard-0-of-2.ndjson";

    public static class SecondOfTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.shard.count", "2", "ferry.shard.index", "1");
        }
    }

    WireMock wiremock;

    @Inject
    FerryRun run;

    @Inject
    Requeuer requeuer;

    @Inject
    Backlog backlog;

    @Inject
    MeterRegistry registry;

    DataDir dataDir = new DataDir(TestData.ROOT, ME);
    String mine = RequeueShardsTest.key(1, 2, "m");
    String theirs = RequeueShardsTest.key(0, 2, "t");

    @BeforeEach
    void reset() throws Exception {
        TestData.reset(wiremock);
        wiremock.register(put(urlPathMatching("/records/.*")).willReturn(aResponse().withStatus(200)));
        new DataDir(TestData.ROOT, OTHER).prepare();
        dataDir.prepare();
        Files.writeString(dataDir.rejected().resolve(REJECTED), Json.write(rejection(theirs)) + "\n"
                + Json.write(rejection(mine)) + "\n");
    }

    @Test
    void requeue_putsEachRecordInItsShardsFailedFolder_andThisShardsRunDeliversOnlyItsOwn() throws Exception {
        RequeueResult requeued = requeuer.requeue(RequeueFilter.of(List.of(), List.of(), List.of("422"), List.of(),
                false), false);

        assertThat(requeued.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(RequeueShardsTest.keys(dataDir.failed(OTHER))).containsExactly(theirs);
        assertThat(RequeueShardsTest.keys(dataDir.failed(ME))).containsExactly(mine);
        RunReport next = run.run();
        assertThat(next.records().delivered()).isEqualTo(1);
        assertThat(requests(mine)).hasSize(1);
        assertThat(requests(theirs)).as("shard 0's run delivers it").isEmpty();
        assertThat(RequeueShardsTest.keys(dataDir.failed(OTHER))).containsExactly(theirs);
        assertThat(DataDir.names(dataDir.failed(ME))).isEmpty();
    }

    @Test
    void aMoveLeftIncomplete_stopsThisShardsRun_whileShard0HoldsItsLock_andTheNextRunWithBothLocksCompletesIt()
            throws Exception {
        // what a requeue killed after committing both failed/ files leaves: the journal, the files, rejected/ as it was
        Path rejected = dataDir.rejected().resolve(REJECTED);
        for (Shard shard : List.of(OTHER, ME)) {
            String key = shard.equals(ME) ? mine : theirs;
            Files.writeString(dataDir.failed(shard).resolve("g000000000005-requeue-x.ndjson"), Json.write(
                    new FailedEntry(key, "fresh-" + key, RequeuerTest.record(key, RequeuerTest.T), "a.ndjson:1", 0,
                            "requeued x", Instant.now(), 0, Instant.now(), null, null)) + "\n");
        }
        Files.write(RequeueJournal.path(dataDir), Json.bytes(new RequeueJournal(null,
                List.of("shard-0-of-2/g000000000005-requeue-x.ndjson", "shard-1-of-2/g000000000005-requeue-x.ndjson"),
                List.of(new RequeueJournal.Removal(REJECTED, Files.size(rejected), List.of(0, 1))))));

        RunReport stopped;
        try (RunLock shard0 = RunLock.tryAcquire(dataDir.state(OTHER)).orElseThrow()) {
            stopped = run.run();
        }

        assertThat(stopped.exitCode()).isEqualTo(ExitCodes.WORK_LEFT);
        assertThat(wiremock.find(putRequestedFor(urlPathMatching("/records/.*")))).as("nothing sent").isEmpty();
        assertThat(RequeueJournal.path(dataDir)).exists();
        assertThat(RequeueShardsTest.keys(dataDir.rejected())).containsExactly(theirs, mine);
        assertThat(backlog.view().requeueIncomplete()).as("ferry status names the move that waits")
                .isEqualTo("state/requeue-shards-of-2.json");
        assertThat(registry.get("ferry.last.exit.code").gauge().value()).as("the run's exit is pushed").isEqualTo(75);

        RunReport next = run.run();

        assertThat(next.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(RequeueJournal.path(dataDir)).doesNotExist();
        assertThat(backlog.view().requeueIncomplete()).isNull();
        assertThat(registry.get("ferry.last.exit.code").gauge().value()).isZero();
        assertThat(DataDir.names(dataDir.rejected())).as("the move was completed").isEmpty();
        assertThat(requests(mine)).singleElement()
                .satisfies(request -> assertThat(request.getHeader("Idempotency-Key")).isEqualTo("fresh-" + mine));
        assertThat(RequeueShardsTest.keys(dataDir.failed(OTHER))).containsExactly(theirs);
    }

    static RejectedEntry rejection(String key) {
        return RequeuerTest.refused(key, 422, RequeuerTest.T);
    }

    List<LoggedRequest> requests(String key) {
        return wiremock.find(putRequestedFor(urlEqualTo("/records/" + key)));
    }
}

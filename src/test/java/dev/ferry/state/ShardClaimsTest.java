package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.core.Shard;

/**
 * The shards' agreement on a file in processing/: one claim id however they race, and done markers that count
 * only for the claim they were left for.
 */
class ShardClaimsTest {

    static final Shard S0 = new Shard(0, 2);
    static final Shard S1 = new Shard(1, 2);

    @TempDir
    Path root;

    ShardClaims claims;

    @BeforeEach
    void setUp() throws Exception {
        DataDir dataDir = new DataDir(root, S0);
        dataDir.prepare();
        claims = new ShardClaims(dataDir);
        Files.writeString(dataDir.processing().resolve("a.csv"), "id\n1\n");
    }

    @Test
    void agree_givesEveryShardTheFirstClaimId() throws Exception {
        assertThat(claims.agree("a.csv", "run-a.1")).isEqualTo("run-a.1");
        assertThat(claims.agree("a.csv", "run-b.1")).isEqualTo("run-a.1");
        assertThat(claims.claimId("a.csv")).contains("run-a.1");
        assertThat(claims.claimId("b.csv")).isEmpty();
    }

    @Test
    void agree_givesOneClaimId_whenManyRaceForIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            String file = "race-" + round + ".csv";
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> ids = new ArrayList<>();
                for (int shard = 0; shard < 8; shard++) {
                    String proposed = "run-" + shard + ".1";
                    Shard racer = new Shard(shard, 8);
                    ids.add(pool.submit((Callable<String>) () -> new ShardClaims(new DataDir(root, racer))
                            .agree(file, proposed)));
                }
                Set<String> agreed = new java.util.HashSet<>();
                for (Future<String> id : ids) {
                    agreed.add(id.get());
                }
                assertThat(agreed).as("round %d", round).hasSize(1);
            } finally {
                pool.shutdown();
            }
        }
        try (Stream<Path> left = Files.list(root.resolve("processing"))) {
            assertThat(left.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void temporaryFilesOfAKilledShard_areDroppedByItsNextRun_anotherShardsAreLeft() throws Exception {
        Path processing = root.resolve("processing");
        String hash = SafeNames.hash(".x.claim");
        Path killedClaim = Files.writeString(processing.resolve("." + hash + ".shard-0-of-2.tmp"), "{");
        Path killedMarker = Files.writeString(processing.resolve("..abc.run-1.done-shard-0-of-2.tmp"), "{");
        Path otherShards = Files.writeString(processing.resolve("." + hash + ".shard-1-of-2.tmp"), "{");
        Path otherMarker = Files.writeString(processing.resolve("..abc.run-1.done-shard-10-of-20.tmp"), "{");

        assertThat(claims.dropLeftovers()).isEqualTo(2);

        assertThat(killedClaim).doesNotExist();
        assertThat(killedMarker).doesNotExist();
        assertThat(otherShards).exists();
        assertThat(otherMarker).exists();
        assertThat(processing.resolve("a.csv")).exists();
    }

    @Test
    void agree_replacesItsOwnLeftover_ofAKilledAgree() throws Exception {
        Path record = new DataDir(root, S0).claimRecord("a.csv");
        Files.writeString(AtomicFiles.exclusiveTemp(record, S0.name()), "{\"half\":");

        assertThat(claims.agree("a.csv", "run-a.1")).isEqualTo("run-a.1");

        assertThat(AtomicFiles.exclusiveTemp(record, S0.name())).doesNotExist();
        assertThat(claims.claimId("a.csv")).contains("run-a.1");
    }

    @Test
    void doneMarkers_countForTheirClaimOnly() throws Exception {
        String claim = claims.agree("a.csv", "run-a.1");
        claims.markDone("a.csv", claim, S0);

        assertThat(claims.doneBy("a.csv", S0)).isTrue();
        assertThat(claims.doneBy("a.csv", S1)).isFalse();
        assertThat(claims.finishedClaim("a.csv", S0)).isEmpty();

        claims.markDone("a.csv", claim, S1);

        assertThat(claims.finishedClaim("a.csv", S1)).contains("run-a.1");
    }

    @Test
    void markersOfAnEarlierClaim_doNotCount_forALaterClaimOfTheSameName() throws Exception {
        claims.markDone("a.csv", "run-old.1", S0); // left by a clean-up a crash cut short
        claims.markDone("a.csv", "run-old.1", S1);

        claims.agree("a.csv", "run-new.1");

        assertThat(claims.doneBy("a.csv", S0)).isFalse();
        assertThat(claims.finishedClaim("a.csv", S0)).isEmpty();

        claims.forgetMarkers("a.csv", "run-new.1", true); // the stale ones go, before the file leaves
        assertThat(claims.markedBy("a.csv")).isEmpty();
    }

    @Test
    void aFileWhoseClaimRecordIsGone_isFinished_whenItsMarkersAreComplete() throws Exception {
        String claim = claims.agree("a.csv", "run-a.1");
        claims.markDone("a.csv", claim, S0);
        claims.markDone("a.csv", claim, S1);

        claims.forgetClaim("a.csv"); // a crash comes before the file moves to done/

        assertThat(claims.doneBy("a.csv", S1)).isTrue();
        assertThat(claims.finishedClaim("a.csv", S0)).contains("run-a.1");
        claims.forgetMarkers("a.csv", claim, false);
        assertThat(claims.claimedByShards("a.csv")).isFalse();
    }

    @Test
    void markersOfAnotherCount_doNotFinishAFile() throws Exception {
        String claim = claims.agree("a.csv", "run-a.1");
        claims.markDone("a.csv", claim, new Shard(0, 3));
        claims.markDone("a.csv", claim, new Shard(1, 3));

        assertThat(claims.finishedClaim("a.csv", S0)).isEmpty();
        assertThat(claims.markedBy("a.csv")).containsExactlyInAnyOrder(new Shard(0, 3), new Shard(1, 3));
    }
}

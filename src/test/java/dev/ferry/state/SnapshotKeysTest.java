package dev.ferry.state;

import static dev.ferry.state.DeliveredIndexTest.deliver;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys a snapshot named, beside the delivered index: what it left out, streamed in key order; who owns them. */
class SnapshotKeysTest {

    @TempDir
    Path state;

    @Test
    void absent_isEveryKnownKeyTheSnapshotDidNotName_inKeyOrder_withItsLastVersion() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            for (String key : List.of("k1", "k2", "k3", "k4", "k5", "k6")) {
                deliver(index, key, "1");
            }
            deliver(index, "k4", "2");
            SnapshotKeys named = index.snapshotKeys();
            named.begin("claim-1");
            for (String key : List.of("k5", "k0", "k2", "k9")) { // k0 and k9: new keys, not delivered yet
                named.add(key);
            }

            assertThat(named.countAbsent()).isEqualTo(4);
            List<DeliveredIndex.Entry> absent = named.absent(null, 10);
            assertThat(absent).extracting(DeliveredIndex.Entry::key).containsExactly("k1", "k3", "k4", "k6");
            assertThat(absent.get(2).record().get("v").asText()).as("the last version delivered").isEqualTo("2");
        }
    }

    @Test
    void absentInBatches_goOnAfterTheLastKey_evenWhenThatKeyIsDeletedMeanwhile() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            for (String key : List.of("a", "b", "c", "d", "e")) {
                deliver(index, key, "1");
            }
            SnapshotKeys named = index.snapshotKeys();
            named.begin("claim-1");
            named.add("c");

            assertThat(keys(named.absent(null, 2))).containsExactly("a", "b");
            index.remove("b");
            index.commit();
            assertThat(keys(named.absent("b", 2))).containsExactly("d", "e");
            assertThat(keys(named.absent("e", 2))).isEmpty();
            assertThat(named.countAbsent()).as("b is gone, c is named").isEqualTo(3);
        }
    }

    @Test
    void keysOfASnapshot_surviveACommit_andAreForgottenWhenAnotherBegins() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            deliver(index, "b", "1");
            index.snapshotKeys().begin("claim-1");
            index.snapshotKeys().add("a");
            index.commit();
        }
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            SnapshotKeys named = index.snapshotKeys();
            assertThat(named.ownedBy("claim-1")).isTrue();
            assertThat(named.ownedBy("claim-2")).isFalse();
            assertThat(keys(named.absent(null, 10))).containsExactly("b");

            named.begin("claim-2");

            assertThat(named.ownedBy("claim-1")).isFalse();
            assertThat(keys(named.absent(null, 10))).as("claim 2 named nothing yet").containsExactly("a", "b");
        }
    }

    @Test
    void release_forgetsTheKeysOfTheirOwnerOnly() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            SnapshotKeys named = index.snapshotKeys();
            named.begin("claim-1");
            named.add("a");

            named.release("claim-2");
            assertThat(named.ownedBy("claim-1")).isTrue();
            assertThat(named.countAbsent()).isZero();

            named.release("claim-1");
            assertThat(named.ownedBy("claim-1")).isFalse();
            assertThat(named.countAbsent()).isEqualTo(1);
        }
    }

    private static List<String> keys(List<DeliveredIndex.Entry> entries) {
        return entries.stream().map(DeliveredIndex.Entry::key).toList();
    }
}

package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;

class DeliveredIndexTest {

    @TempDir
    Path state;

    @Test
    void delivered_thenGet_returnsTheLastVersionOfTheKey_withItsHashIdempotencyKeyAndRecord() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            deliver(index, "a", "2");
            index.delivered("b", hash("b", "1"), "not-a-hex-key/" + "é", json("b", "1"));

            DeliveredIndex.Entry a = index.get("a").orElseThrow();
            assertThat(a.contentHash()).isEqualTo(hash("a", "2"));
            assertThat(a.idempotencyKey()).isEqualTo(idempotencyKey("a", "2"));
            assertThat(a.record().get("v").asText()).isEqualTo("2");
            assertThat(index.get("b").orElseThrow().idempotencyKey()).isEqualTo("not-a-hex-key/é");
            assertThat(index.get("c")).isEmpty();
            assertThat(index.size()).isEqualTo(2);
        }
    }

    @Test
    void unchanged_isTrueOnlyForTheHashOfTheLastVersionDelivered() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            deliver(index, "a", "2");

            assertThat(index.unchanged("a", hash("a", "2"))).isTrue();
            assertThat(index.unchanged("a", hash("a", "1"))).isFalse();
            assertThat(index.unchanged("b", hash("b", "1"))).as("never delivered").isFalse();
        }
    }

    @Test
    void delivered_withItsTime_keepsTheTimeInMillis_andAnEntryWithoutOne_hasNone() throws Exception {
        Instant first = Instant.parse("2026-06-01T12:00:00.123456Z");
        Instant second = Instant.parse("2026-06-01T12:00:05Z");
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            index.delivered("a", hash("a", "1"), idempotencyKey("a", "1"), json("a", "1"), first);
            index.delivered("b", hash("b", "1"), "not-a-hex-key", json("b", "1"), second);
            deliver(index, "c", "1"); // as the import of the old ledger does: no time known
        }
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            DeliveredIndex.Entry a = index.get("a").orElseThrow();
            assertThat(a.deliveredAt()).isEqualTo(Instant.parse("2026-06-01T12:00:00.123Z"));
            assertThat(a.idempotencyKey()).isEqualTo(idempotencyKey("a", "1"));
            assertThat(a.record().get("v").asText()).isEqualTo("1");
            assertThat(index.unchanged("a", hash("a", "1"))).isTrue();
            DeliveredIndex.Entry b = index.get("b").orElseThrow();
            assertThat(b.deliveredAt()).isEqualTo(second);
            assertThat(b.idempotencyKey()).isEqualTo("not-a-hex-key");
            assertThat(b.record().get("id").asText()).isEqualTo("b");
            assertThat(index.get("c").orElseThrow().deliveredAt()).isNull();
        }
    }

    @Test
    void remove_forgetsTheKey() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            deliver(index, "b", "1");
            index.remove("a");
            index.commit();
        }
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            assertThat(index.get("a")).isEmpty();
            assertThat(keysFrom(index, null)).containsExactly("b");
        }
    }

    @Test
    void forEachFrom_walksInKeyOrder_afterTheGivenKeyExclusive_evenWhenThatKeyIsGone() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            for (String key : List.of("k3", "k1", "k10", "k2", "k0")) {
                deliver(index, key, "1");
            }
            assertThat(keysFrom(index, null)).containsExactly("k0", "k1", "k10", "k2", "k3");
            assertThat(keysFrom(index, "k1")).containsExactly("k10", "k2", "k3");
            assertThat(index.countAfter("k1")).isEqualTo(3);

            index.remove("k1");
            deliver(index, "k11", "1");

            assertThat(keysFrom(index, "k1")).as("a key removed since").containsExactly("k10", "k11", "k2", "k3");
            assertThat(index.countAfter("k1")).isEqualTo(4);
            assertThat(keysFrom(index, "k3")).isEmpty();
            assertThat(index.countAfter("k3")).isZero();
            assertThat(index.countAfter(null)).isEqualTo(5);
        }
    }

    @Test
    void forEachFrom_stopsWhenTheActionSaysSo() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            for (int i = 0; i < 10; i++) {
                deliver(index, "k" + i, "1");
            }
            List<String> seen = new ArrayList<>();
            index.forEachFrom("k2", entry -> seen.add(entry.key()) && seen.size() < 3);
            assertThat(seen).containsExactly("k3", "k4", "k5");
        }
    }

    @Test
    void committed_survivesReopening_andTheFileIsNotForOthers() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            deliver(index, "a", "1");
            index.commit();
        }
        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(index.unchanged("a", hash("a", "1"))).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(DeliveredIndex.FILE))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void openReadOnly_withoutAnIndex_isEmpty_andCreatesNothing() throws Exception {
        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(index.size()).isZero();
            assertThat(keysFrom(index, null)).isEmpty();
        }
        assertThat(state.resolve(DeliveredIndex.FILE)).doesNotExist();
    }

    @Test
    void openReadOnly_ofAFileARunCreatedButNeverCommitted_isEmpty() throws Exception {
        Files.createFile(state.resolve(DeliveredIndex.FILE));
        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(index.size()).as("an empty file").isZero();
        }
        MVStore store = new MVStore.Builder().fileName(state.resolve(DeliveredIndex.FILE).toString()).open();
        store.commit();
        store.closeImmediately(); // killed before the map was ever committed
        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(index.size()).as("a store without the map").isZero();
        }
    }

    @Test
    void openReadOnly_whileARunHasTheIndex_isBusy() throws Exception {
        try (DeliveredIndex run = DeliveredIndex.open(state)) {
            deliver(run, "a", "1");
            run.commit();
            assertThatThrownBy(() -> DeliveredIndex.openReadOnly(state)).isInstanceOf(DeliveredIndex.Busy.class);
        }
    }

    @Test
    void concurrentWriters_andAReader_loseNothing() throws Exception {
        int writers = 32;
        int perWriter = 2_000;
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            String key = "w" + writer + "-" + i;
                            deliver(index, key, "1");
                            deliver(index, key, "2");
                        }
                        return null;
                    }));
                }
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < perWriter; i += 97) {
                            index.get("w0-" + i).ifPresent(entry -> assertThat(entry.record().get("id").asText())
                                    .isEqualTo("w0-" + entry.key().substring(3)));
                        }
                        index.commit();
                    }
                    return null;
                }));
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            index.commit();
        }
        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            assertThat(index.size()).isEqualTo((long) writers * perWriter);
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < perWriter; i += 101) {
                    assertThat(index.unchanged("w" + w + "-" + i, hash("w" + w + "-" + i, "2"))).isTrue();
                }
            }
        }
    }

    @Test
    void theOldLedger_isImportedOnce_lastLinePerKeyWins_aTornLastLineSkipped_thenRenamed() throws Exception {
        Files.writeString(state.resolve(DeliveredIndex.LEDGER), String.join("\n",
                ledgerLine("a", "1"),
                ledgerLine("b", "1"),
                ledgerLine("a", "2"),
                ledgerLine("c", "1") + " trailing",
                "{\"key\":null,\"idempotencyKey\":\"i4\",\"record\":{\"id\":\"d\",\"v\":\"1\"}}",
                "{\"key\":\"e\",\"idempotencyKey\":\"i5\",\"record\":\"not an object\"}",
                ledgerLine("b", "2").substring(0, 40)));

        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            assertThat(keysFrom(index, null)).containsExactly("a", "b");
            assertThat(index.unchanged("a", hash("a", "2"))).isTrue();
            assertThat(index.get("a").orElseThrow().idempotencyKey()).isEqualTo(idempotencyKey("a", "2"));
            assertThat(index.unchanged("b", hash("b", "1"))).as("b=2 was cut short by a crash").isTrue();
            deliver(index, "b", "3");
            index.commit();
        }
        assertThat(state.resolve(DeliveredIndex.LEDGER)).doesNotExist();
        assertThat(state.resolve(DeliveredIndex.IMPORTED)).exists();

        try (DeliveredIndex index = DeliveredIndex.open(state)) {
            assertThat(index.unchanged("b", hash("b", "3"))).as("not imported again over newer deliveries").isTrue();
        }
    }

    @Test
    void openReadOnly_importsAnOldLedgerThatNoRunImportedYet() throws Exception {
        Files.writeString(state.resolve(DeliveredIndex.LEDGER), ledgerLine("a", "1") + "\n");

        try (DeliveredIndex index = DeliveredIndex.openReadOnly(state)) {
            assertThat(keysFrom(index, null)).containsExactly("a");
        }
        assertThat(state.resolve(DeliveredIndex.IMPORTED)).exists();
    }

    private static List<String> keysFrom(DeliveredIndex index, String after) {
        List<String> keys = new ArrayList<>();
        index.forEachFrom(after, entry -> keys.add(entry.key()));
        return keys;
    }

    static void deliver(DeliveredIndex index, String key, String version) throws Exception {
        index.delivered(key, hash(key, version), idempotencyKey(key, version), json(key, version));
    }

    static ObjectNode record(String key, String version) {
        return Json.MAPPER.createObjectNode().put("id", key).put("v", version);
    }

    static byte[] json(String key, String version) {
        return Json.write(record(key, version)).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hash(String key, String version) {
        return RecordKeys.contentHash(key, record(key, version));
    }

    static String idempotencyKey(String key, String version) {
        return RecordKeys.sha256Hex("line-of-" + key + "-" + version);
    }

    private static String ledgerLine(String key, String version) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("key", key).put("idempotencyKey",
                idempotencyKey(key, version));
        line.set("record", record(key, version));
        return Json.write(line);
    }
}

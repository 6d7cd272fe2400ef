package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.SourceRecord;

class DeliveredLedgerTest {

    @TempDir
    Path state;

    @Test
    void compact_keepsTheLastLineOfEveryKey_inTheOrderOfThoseLines_andAppendsContinueAfterIt() throws Exception {
        try (DeliveredLedger ledger = DeliveredLedger.open(state)) {
            for (String[] delivered : new String[][] { { "a", "1" }, { "b", "1" }, { "a", "2" }, { "c", "1" },
                    { "b", "2" } }) {
                ledger.delivered(record(delivered[0], delivered[1]));
            }
            ledger.compact();
            assertThat(versions()).containsExactly("a=2", "c=1", "b=2");
            assertThat(Files.readAllLines(state.resolve(DeliveredLedger.FILE))).hasSize(3);

            ledger.delivered(record("a", "3"));
            ledger.sync();
        }
        assertThat(versions()).as("the latest of each key, read beside a run").containsExactly("c=1", "b=2", "a=3");
        assertThat(Files.readAllLines(state.resolve(DeliveredLedger.FILE))).hasSize(4);
    }

    @Test
    void compact_ofManyKeys_keepsEveryKeyOnce() throws Exception {
        try (DeliveredLedger ledger = DeliveredLedger.open(state)) {
            for (int i = 0; i < 20_000; i++) {
                ledger.delivered(record("k" + (i % 7_000), Integer.toString(i)));
            }
            ledger.compact();
        }
        List<String> versions = versions();
        assertThat(versions).hasSize(7_000);
        assertThat(versions).contains("k0=14000", "k5999=19999", "k6000=13000", "k6999=13999");
    }

    @Test
    void compact_ofMostlyUniqueKeys_keepsThemAll_althoughTheirHashesCollideInTheFilter() throws Exception {
        try (DeliveredLedger ledger = DeliveredLedger.open(state)) {
            for (int i = 0; i < 50_000; i++) {
                ledger.delivered(record("u" + i, "1"));
            }
            ledger.delivered(record("u7", "2"));
            ledger.delivered(record("u49999", "2"));
            ledger.compact();
        }
        List<String> versions = versions();
        assertThat(versions).hasSize(50_000).doesNotHaveDuplicates();
        assertThat(versions).contains("u0=1", "u12345=1", "u48000=1").endsWith("u7=2", "u49999=2");
    }

    @Test
    void aLineCutShortByACrash_isNotAVersion_andCompactionDropsIt() throws Exception {
        Files.writeString(state.resolve(DeliveredLedger.FILE), String.join("\n",
                "{\"key\":\"a\",\"idempotencyKey\":\"i1\",\"record\":{\"id\":\"a\",\"v\":\"1\"}}",
                "{\"key\":\"b\",\"idempotencyKey\":\"i2\",\"record\":{\"id\":\"b\",\"v\":\"1\"}}",
                "{\"key\":\"a\",\"idempotencyKey\":\"i3\",\"record\":{\"id\":\"a\",\"v\":\"2\"}} trailing",
                "{\"key\":null,\"idempotencyKey\":\"i4\",\"record\":{\"id\":\"c\",\"v\":\"1\"}}",
                "{\"key\":\"d\",\"idempotencyKey\":\"i5\",\"record\":\"not an object\"}",
                "{\"key\":\"a\",\"idempotencyKey\":\"i6\",\"record\":{\"id\":\"a\",\"v"));
        assertThat(versions()).containsExactly("a=1", "b=1");
        try (DeliveredLedger ledger = DeliveredLedger.open(state)) {
            ledger.compact();
        }
        assertThat(Files.readAllLines(state.resolve(DeliveredLedger.FILE))).hasSize(2);
        assertThat(versions()).containsExactly("a=1", "b=1");
    }

    private List<String> versions() throws Exception {
        List<String> versions = new ArrayList<>();
        DeliveredLedger.forEachLatest(state, entry -> versions.add(entry.key() + "=" + entry.record().get("v").asText()));
        return versions;
    }

    private static SourceRecord record(String key, String version) {
        ObjectNode record = Json.MAPPER.createObjectNode().put("id", key).put("v", version);
        return new SourceRecord("a.ndjson", 1, 1, 0, key, record, "idem-" + key + "-" + version, "a.ndjson:1", null);
    }
}

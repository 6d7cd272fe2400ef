package dev.ferry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/** A failed/ line says what its replay asks of the API: store the record, delete the key, or resend a repair. */
class FailedRecordReaderTest {

    @TempDir
    Path folder;

    @Test
    void lines_replayAsTheOperationTheyName_andARepairIsNeverSkippable() throws Exception {
        Path file = folder.resolve("run-01.ndjson");
        Files.writeString(file, """
                {"key":"a","idempotencyKey":"k1","record":{"id":"a","v":1},"source":"a.csv:2","attempts":4,"failedAt":"2026-11-29T10:00:00Z"}
                {"key":"b","idempotencyKey":"k2","record":{"id":"b","v":1},"source":"snap.csv:delete","attempts":1,"failedAt":"2026-11-29T10:00:00Z","operation":"delete"}
                {"key":"c","idempotencyKey":"k3","record":{"id":"c","v":1},"source":"verify-1","attempts":0,"failedAt":"2026-11-29T10:00:00Z","resend":true}
                """);

        try (FailedRecordReader reader = new FailedRecordReader(file, "failed/run-01.ndjson", 0, 0)) {
            SourceRecord upsert = reader.read();
            SourceRecord delete = reader.read();
            SourceRecord repair = reader.read();

            assertThat(upsert.operation()).isEqualTo(SourceRecord.Operation.UPSERT);
            assertThat(upsert.skippable()).isTrue();
            assertThat(upsert.contentHash()).isEqualTo(RecordKeys.contentHash("a",
                    (ObjectNode) Json.read("{\"v\":1,\"id\":\"a\"}")));
            assertThat(delete.operation()).isEqualTo(SourceRecord.Operation.DELETE);
            assertThat(delete.deletes()).isTrue();
            assertThat(delete.skippable()).isFalse();
            assertThat(delete.idempotencyKey()).isEqualTo("k2");
            assertThat(repair.operation()).isEqualTo(SourceRecord.Operation.UPSERT);
            assertThat(repair.replayed().resend()).isTrue();
            assertThat(repair.skippable()).as("a repair: the API lost what the index holds").isFalse();
            assertThat(reader.read()).isNull();
        }
    }
}

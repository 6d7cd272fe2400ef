package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ferry creates on the volume has no permission for others: folders 0750, files 0640, whatever the
 * process's umask lets through (0022 here, which would give 0755 and 0644).
 */
class FileModesTest {

    @TempDir
    Path root;

    @Test
    void foldersAndStateFiles_haveNoPermissionForOthers() throws Exception {
        DataDir dataDir = new DataDir(root);
        dataDir.prepare();
        AtomicFiles.write(dataDir.state().resolve("breaker.json"), "{}".getBytes(StandardCharsets.UTF_8));
        try (AppendLog failed = new AppendLog(dataDir.failed(), () -> "run-1.ndjson")) {
            failed.append("{}");
        }
        try (RunLock lock = RunLock.tryAcquire(dataDir.state()).orElseThrow()) {
            new IngestedFiles(dataDir).add("a.csv", 1, Instant.EPOCH);
        }
        Files.writeString(dataDir.state().resolve(DeliveredLedger.FILE), "{\"key\":\"k\"}\n");
        try (DeliveredLedger ledger = DeliveredLedger.open(dataDir.state())) {
            ledger.compact();
        }

        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.filter(p -> !p.equals(root)).toList()) {
                modes.put(root.relativize(path).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            }
        }

        assertThat(modes).containsEntry("state", "rwxr-x---").containsEntry("quarantine", "rwxr-x---")
                .containsEntry("state/checkpoints", "rwxr-x---").containsEntry("state/breaker.json", "rw-r-----")
                .containsEntry("failed/run-1.ndjson", "rw-r-----").containsEntry("state/ferry.lock", "rw-r-----")
                .containsEntry("state/ingested.ndjson", "rw-r-----")
                .containsEntry("state/" + DeliveredLedger.FILE, "rw-r-----");
        assertThat(modes.values()).allMatch(mode -> mode.endsWith("---"), "nothing for others");
        assertThat(modes.keySet()).containsAll(List.of("inbox", "processing", "done", "rejected", "reports"));
    }

    @Test
    void atomicWrite_toANameOf250Bytes_usesATemporaryNameThatFits() throws Exception {
        Path target = root.resolve("r".repeat(250));

        AtomicFiles.write(target, "x".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("x");
        assertThat(DataDir.names(root)).containsExactly(target.getFileName().toString());
    }
}

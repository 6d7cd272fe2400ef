package dev.ferry.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestClock;
import dev.ferry.TestData;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.DataDir;
import dev.ferry.state.FailedFolder;
import dev.ferry.state.Quarantine;
import dev.ferry.state.Reports;
import dev.ferry.state.ShardClaims;
import dev.ferry.state.ShardLayouts;
import dev.ferry.target.TargetAuthConfigTest;

/** {@code ferry status} on a data dir an operator or a crash left odd: it says what it cannot read and goes on. */
public class BacklogTest {

    public static final String REPORT = "20261129T203635.755Z-383d.json";

    @TempDir
    Path root;

    Backlog backlog;
    DataDir dataDir;

    @BeforeEach
    void backlog() {
        dataDir = new DataDir(root);
        dataDir.prepare();
        backlog = of(dataDir);
    }

    /** The backlog of an unsharded data dir with the default configuration. */
    public static Backlog of(DataDir dataDir) {
        TestClock clock = new TestClock();
        Checkpoints checkpoints = new Checkpoints(dataDir);
        return new Backlog(dataDir, checkpoints, TargetAuthConfigTest.config(Map.of(), Map.of()), clock,
                new FailedFolder(dataDir, checkpoints), new Quarantine(dataDir, clock),
                new ShardLayouts(dataDir, new ShardClaims(dataDir)), new Reports(dataDir));
    }

    @Test
    void folderOrNotesInReports_areNotTakenForTheLastRun() throws IOException {
        Files.writeString(dataDir.reports().resolve(REPORT), "{\"runId\":\"20261129T203635.755Z-383d\",\"exitCode\":75}");
        Files.createDirectory(dataDir.reports().resolve("old"));
        Files.writeString(dataDir.reports().resolve("notes.txt"), "moved the May reports to old/");

        Backlog.View view = backlog.view();

        assertThat(view.lastReport().path("exitCode").asInt()).isEqualTo(75);
        assertThat(view.lastReportUnreadable()).isNull();
    }

    @Test
    void garbageOrEmptyLastReport_isNamedAsUnreadable_insteadOfAStackTraceOrAnExit0() throws IOException {
        for (String content : new String[] { "garbage{", "", "[]" }) {
            Files.writeString(dataDir.reports().resolve(REPORT), content);

            Backlog.View view = backlog.view();

            assertThat(view.lastReport()).as(content).isNull();
            assertThat(view.lastReportUnreadable()).as(content).startsWith("reports/" + REPORT + ": ");
        }
    }

    @Test
    void rejectedLineCutInAMultiByteCharacter_stillCounts_insteadOfAStackTrace() throws IOException {
        Path file = dataDir.rejected().resolve("g000000000001-run1.ndjson");
        Files.writeString(file, "{\"key\":\"k1\",\"record\":{\"n\":\"café\"}}\n");
        TestData.appendCutInsideACharacter(file, "{\"key\":\"k2\",\"record\":{\"n\":\"café");

        Backlog.View view = backlog.view();

        assertThat(view.rejectedRecords()).isEqualTo(2);
        assertThat(view.rejectedFiles()).isEqualTo(1);
    }

    @Test
    void failedLineCutInsideACharacter_isCountedAsTheReplayReadsIt_notWhereTheCountStopped() throws IOException {
        String whole = "{\"key\":\"k1\",\"record\":{\"n\":\"café\"}}\n";
        Path file = dataDir.failed().resolve("g000000000001-run1.ndjson");
        Files.writeString(file, whole + whole);
        TestData.appendCutInsideACharacter(file, "{\"key\":\"k2\",\"record\":{\"n\":\"café");

        Backlog.View view = backlog.view();

        assertThat(view.failedRecords()).isEqualTo(3);
    }
}

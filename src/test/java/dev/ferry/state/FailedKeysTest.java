package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.TestData;

/** The keys waiting in failed/, read from files a crash may have cut anywhere. */
class FailedKeysTest {

    @TempDir
    Path folder;

    @Test
    void lineCutInsideACharacter_blocksNoKey_andTheOtherLinesStillDo() throws Exception {
        Path file = folder.resolve("g000000000001-run1.ndjson");
        Files.writeString(file, "{\"key\":\"Zoë\",\"record\":{\"id\":\"Zoë\"}}\n");
        TestData.appendCutInsideACharacter(file, "{\"key\":\"k2\",\"record\":{\"n\":\"é");

        FailedKeys keys = FailedKeys.of(List.of(file));

        assertThat(keys.contains("Zoë")).isTrue();
        assertThat(keys.size()).isEqualTo(1);
    }
}

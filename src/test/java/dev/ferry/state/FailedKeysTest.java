package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys waiting in failed/, read from files a crash may have cut anywhere. */
class FailedKeysTest {

    @TempDir
    Path folder;

    @Test
    void lineCutInsideACharacter_blocksNoKey_andTheOtherLinesStillDo() throws Exception {
        Path file = folder.resolve("g000000000001-run1.ndjson");
        Files.writeString(file, "{\"key\":\"Zoë\",\"record\":{\"id\":\"Zoë\"}}\n");
        byte[] line = "{\"key\":\"k2\",\"record\":{\"n\":\"é".getBytes(StandardCharsets.UTF_8);
        Files.write(file, Arrays.copyOf(line, line.length - 1), StandardOpenOption.APPEND);

        FailedKeys keys = FailedKeys.of(folder, List.of(file.getFileName().toString()));

        assertThat(keys.contains("Zoë")).isTrue();
        assertThat(keys.size()).isEqualTo(1);
    }
}

package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path folder;

    @Test
    void write_replacesTheTarget_andLeavesNoTemporaryFile() throws IOException {
        Path target = folder.resolve("report.json");
        Files.writeString(target, "old");

        AtomicFiles.write(target, "new".getBytes());

        assertThat(target).hasContent("new");
        assertThat(names()).containsExactly("report.json");
    }

    @Test
    void write_thatFails_namesTheTarget_andDeletesItsTemporaryFile() throws IOException {
        Path target = folder.resolve("report.json");
        Files.createDirectories(target.resolve("in-the-way")); // a rename over a folder that is not empty fails

        assertThatThrownBy(() -> AtomicFiles.write(target, "new".getBytes())).isInstanceOf(IOException.class)
                .hasMessageContaining(target.toString());

        assertThat(names()).containsExactly("report.json");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}

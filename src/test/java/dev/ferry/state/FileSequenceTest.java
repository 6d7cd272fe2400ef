package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * failed/ and rejected/ files sort in the order they were made, whatever the clock of the node that made them: a run
 * whose id (its start time) is earlier, because its node's clock is behind, still names its files after the last.
 */
class FileSequenceTest {

    @TempDir
    Path root;

    @Test
    void names_sortInTheOrderTheyWereGiven_notByTheRunIdsTime_andSurviveANewProcess() throws Exception {
        Files.createDirectories(root.resolve("state"));
        List<String> names = new ArrayList<>();
        names.add(new FileSequence(new DataDir(root)).nextName("20261129T120000.000Z-aaaa"));
        names.add(new FileSequence(new DataDir(root)).nextName("20261129T110000.000Z-bbbb")); // a clock an hour behind
        names.add(new FileSequence(new DataDir(root)).nextName("20261129T115959.000Z-cccc"));

        assertThat(names).isSorted().doesNotHaveDuplicates();
        assertThat(names.get(1)).contains("bbbb");
        assertThat("20261129T120000.000Z-aaaa-00.ndjson").as("names of releases before sort first")
                .isLessThan(names.get(0));
    }
}

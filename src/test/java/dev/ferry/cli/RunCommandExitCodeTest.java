package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ferry.run.work-left-exit-code changes what the process exits with for "work left", and nothing else. */
class RunCommandExitCodeTest {

    @ParameterizedTest(name = "run {0}, work-left code {1} -> process {2}")
    @CsvSource({
            "75, 0, 0",
            "75, 75, 75",
            "75, 99, 99",
            "0, 99, 0",
            "1, 0, 1",
            "76, 0, 76",
            "77, 0, 77",
            "78, 0, 78" })
    void processExitCode_mapsOnlyWorkLeft_toTheConfiguredCode(int runCode, int workLeftCode, int expected) {
        assertThat(RunCommand.processExitCode(runCode, workLeftCode)).isEqualTo(expected);
    }
}

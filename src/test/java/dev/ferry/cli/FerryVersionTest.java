package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code ferry --version} names the build: the project's version and the commit it was built from. */
class FerryVersionTest {

    @Test
    void version_namesThePomVersionAndTheCheckedOutCommit_whenBuiltFromGit() throws Exception {
        String line = new FerryVersion().getVersion()[0];

        Matcher parts = Pattern.compile("ferry (\\S+) \\((\\S+)\\)").matcher(line);
        assertThat(parts.matches()).as(line).isTrue();
        assertThat(parts.group(1)).isEqualTo(pomVersion());
        String head = git("rev-parse", "HEAD");
        String commit = parts.group(2);
        if (head == null) {
            assertThat(commit).isEqualTo(FerryVersion.UNKNOWN);
        } else if (linkedWorktree()) {
            // git-commit-id-maven-plugin reads the main checkout's HEAD there (pom.xml): a commit of this repository
            assertThat(commit).matches("[0-9a-f]{7,}");
            assertThat(git("cat-file", "-t", commit)).isEqualTo("commit");
        } else {
            assertThat(commit).matches("[0-9a-f]{7,}");
            assertThat(head).startsWith(commit);
        }
    }

    @Test
    void version_saysUnknown_whenTheBuildCouldNotFillAValueIn() throws Exception {
        String unfilled = "version=0.3.0\ncommit=${git.commit.id.abbrev}\n";
        assertThat(FerryVersion.line(new ByteArrayInputStream(unfilled.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("ferry 0.3.0 (unknown)");
        assertThat(FerryVersion.line(null)).isEqualTo("ferry unknown (unknown)");
    }

    private static String pomVersion() throws Exception {
        Matcher version = Pattern.compile("<artifactId>ferry</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static boolean linkedWorktree() {
        return !String.valueOf(git("rev-parse", "--git-dir")).equals(git("rev-parse", "--git-common-dir"));
    }

    /** What git prints, or null when this is not a git checkout (or git is missing). */
    private static String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : null;
        } catch (Exception noGit) {
            return null;
        }
    }
}

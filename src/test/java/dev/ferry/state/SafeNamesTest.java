package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names made from untrusted names stay within 255 bytes, deterministically, and never leave their folder. */
class SafeNamesTest {

    @TempDir
    Path folder;

    @Test
    void shortName_staysAsItIs() {
        assertThat(SafeNames.shortened("a.csv", 12)).isEqualTo("a.csv");
    }

    @Test
    void longName_isCutBetweenCharacters_andEndsWithItsHash_soThatTheSuffixFits() {
        String name = "x" + "€".repeat(84); // 253 bytes; € is 3
        String shortened = SafeNames.shortened(name, 12);

        assertThat(shortened.getBytes(StandardCharsets.UTF_8).length + 12).isLessThanOrEqualTo(255);
        assertThat(shortened).endsWith("~" + SafeNames.hash(name)).startsWith("x€€");
        assertThat(shortened.substring(0, shortened.indexOf('~'))).matches("x€*");
        assertThat(SafeNames.shortened(name, 12)).isEqualTo(shortened);
        assertThat(SafeNames.shortened(name.replace('x', 'y'), 12)).isNotEqualTo(shortened);
    }

    @Test
    void free_numbersARepeatedName_countingALinkAsTaken() throws Exception {
        Files.createSymbolicLink(folder.resolve("a.csv"), folder.resolve("nowhere"));
        Files.writeString(folder.resolve("a.csv.1"), "");

        assertThat(SafeNames.free(folder, "a.csv", 0)).isEqualTo(folder.resolve("a.csv.2"));
    }

    @Test
    void free_shortensALongNameToTakeItsNumber() throws Exception {
        String name = "n".repeat(254);
        Files.writeString(folder.resolve(name), "");

        Path next = SafeNames.free(folder, name, 0);

        assertThat(next.getFileName().toString()).endsWith(".1").hasSizeLessThanOrEqualTo(255);
        Files.writeString(next, "");
    }

    @Test
    void listedNameThatIsNotUtf8_isShownWithItsOtherBytesEscaped_andAUtf8NameAsItIs() throws Exception {
        // the JVM writes no name that is not UTF-8 (the name of a Latin-1 producer's file): the shell does
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'a-\\377 %%.csv')\"")
                .directory(folder.toFile()).inheritIO().start();
        assertThat(touch.waitFor()).isZero();
        Files.createFile(folder.resolve("b-é.csv"));

        assertThat(DataDir.files(folder)).extracting(SafeNames::shown).containsExactly("a-\\xFF %.csv", "b-é.csv");
        assertThat(DataDir.files(folder)).extracting(SafeNames::original).containsExactly("a-\uFFFD %.csv", "b-é.csv");
    }

    @Test
    void plain_refusesPathsAndDotNames() {
        assertThat(SafeNames.plain("20260101T000000Z-aaaa-00.ndjson")).isTrue();
        assertThat(SafeNames.plain("../state/ferry.lock")).isFalse();
        assertThat(SafeNames.plain("..")).isFalse();
        assertThat(SafeNames.plain(".")).isFalse();
        assertThat(SafeNames.plain("")).isFalse();
        assertThat(SafeNames.plain(null)).isFalse();
    }
}

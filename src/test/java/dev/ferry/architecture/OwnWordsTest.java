package dev.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository documents its contract in its own words (docs/reference.md, README.md): no text file in it
 * points at a specification that lives outside it, which its readers could never open. Every text file of the
 * project is read (build output, Git's own files and binary files aside), and each line naming the outside
 * specification, or a path leaving the repository for a shared folder, is reported as {@code file:line}.
 */
class OwnWordsTest {

    /** The outside specification by its name (as a word, so "SPECIAL" or "JSON_SPEC" pass), or a shared folder. */
    private static final Pattern OUTSIDE = Pattern.compile("\\bSPEC\\b|\\.\\./shared\\b|/work/shared\\b");

    private static final Set<String> NOT_OURS = Set.of(".git", "target", "node_modules");

    /** This test names what it looks for. */
    private static final Path SELF = Path.of("src/test/java/dev/ferry/architecture/OwnWordsTest.java");

    @Test
    void repositoryText_namesNoOutsideSpecification_anyFile() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : textFiles(Path.of(""))) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE.matcher(lines.get(i)).find()) {
                    found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }

        assertThat(found).as("lines pointing outside the repository; say it, or point at docs/reference.md")
                .isEmpty();
    }

    @Test
    void pattern_findsTheOutsideNames_notLookAlikes() {
        assertThat(Stream.of("One run (SPEC §1)", "see SPEC.md", "SPEC's names", "../shared/STYLE.md")
                .filter(line -> OUTSIDE.matcher(line).find())).hasSize(4);
        assertThat(Stream.of("SPECIAL", "JSON_SPEC", "a Spec test", "src/shared/x", "ShardSpec")
                .filter(line -> OUTSIDE.matcher(line).find())).isEmpty();
    }

    private static List<Path> textFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root.toAbsolutePath())) {
            Path base = root.toAbsolutePath();
            return paths.filter(Files::isRegularFile)
                    .map(base::relativize)
                    .filter(file -> !file.equals(SELF) && ours(file))
                    .filter(OwnWordsTest::isText)
                    .sorted()
                    .toList();
        }
    }

    private static boolean ours(Path relative) {
        for (Path part : relative) {
            if (NOT_OURS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** Text as Git would judge it: no NUL byte, and readable as UTF-8. */
    private static boolean isText(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return false;
                }
            }
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException notUtf8) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

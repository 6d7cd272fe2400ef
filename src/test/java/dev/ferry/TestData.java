package dev.ferry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.ferry.core.Json;

/** The test data dir ({@code %test.ferry.data-dir}): reset before each test, files dropped into its inbox. */
public final class TestData {

    public static final Path ROOT = Path.of("target/test-data");

    private TestData() {
    }

    public static void reset() {
        reset(ROOT);
    }

    /** Resets the data dir and WireMock: no stubs, no journal, every scenario back at its start. */
    public static void reset(WireMock wiremock) {
        reset();
        wiremock.resetToDefaultMappings();
        wiremock.resetRequests();
        wiremock.resetScenarios();
    }

    /** When WireMock received each request matching {@code pattern}, epoch milliseconds, earliest first. */
    public static List<Long> arrivals(WireMock wiremock, RequestPatternBuilder pattern) {
        return wiremock.find(pattern).stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
    }

    public static void reset(Path root) {
        try {
            if (Files.exists(root)) {
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path); // a temporary file may be renamed away meanwhile
                    }
                }
            }
            Files.createDirectories(root.resolve("inbox"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops a complete file into the inbox (modified a minute ago, so it is settled). */
    public static Path drop(String name, String content) {
        return drop(ROOT, name, content);
    }

    public static Path drop(Path root, String name, String content) {
        try {
            Path file = root.resolve("inbox").resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a FIFO (named pipe) at {@code path}: what ferry must never open. */
    public static Path mkfifo(Path path) {
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                throw new IllegalStateException("mkfifo " + path + " failed");
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Appends {@code line} as a crash leaves it when it stops writing in the middle of the line's last character:
     * its UTF-8 bytes without the last one ({@code line} must end in a character of two bytes or more, e.g. é).
     */
    public static void appendCutInsideACharacter(Path file, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(file, Arrays.copyOf(bytes, bytes.length - 1), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every entry under {@code root}, links not followed: its type, size and modification time, by relative path. Two
     * equal snapshots mean nothing was created, deleted, moved or written.
     */
    public static Map<String, String> snapshot(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            Map<String, String> entries = new TreeMap<>();
            for (Path path : all.toList()) {
                BasicFileAttributes entry = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                entries.put(root.relativize(path).toString(), (entry.isDirectory() ? "folder " : entry.isSymbolicLink()
                        ? "link " : "file ") + entry.size() + " " + entry.lastModifiedTime());
            }
            return entries;
        }
    }

    /** NDJSON records {"id":"r1","n":1} … {"id":"rN","n":N}, one per line. */
    public static String records(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            lines.append("{\"id\":\"r").append(i).append("\",\"n\":").append(i).append("}\n");
        }
        return lines.toString();
    }

    /** Every NDJSON entry in a folder (failed, rejected), files in name order. */
    public static List<JsonNode> entries(String folder) {
        return entries(ROOT, folder);
    }

    public static List<JsonNode> entries(Path root, String folder) {
        List<JsonNode> entries = new ArrayList<>();
        for (String name : files(root, folder)) {
            try {
                for (String line : Files.readAllLines(root.resolve(folder).resolve(name))) {
                    if (!line.isBlank()) {
                        entries.add(Json.read(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** A report's {@code records} (or a file's): what came in, records read plus a snapshot's deletes. */
    public static long readAndDeletes(JsonNode records) {
        return records.get("read").asLong() + records.path("deletes").asLong();
    }

    /** A report's {@code records} (or a file's): every outcome plus what was left; equals {@link #readAndDeletes}. */
    public static long outcomesAndLeft(JsonNode records) {
        long sum = 0;
        for (String outcome : List.of("delivered", "unchanged", "deleted", "failed", "rejected", "givenUp", "left")) {
            sum += records.path(outcome).asLong();
        }
        return sum;
    }

    public static List<String> files(String folder) {
        return files(ROOT, folder);
    }

    public static List<String> files(Path root, String folder) {
        Path path = root.resolve(folder);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.ferry.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.ferry.ingest.RegularFiles;

/**
 * The lines of ferry's own NDJSON files (failed/, rejected/), read a char for each byte: a line cut inside a
 * character by a crash is a line like one cut anywhere else (its JSON does not parse), not an error that ends the
 * whole read, and a file rewritten with {@link #BYTES} keeps such a line's bytes. Each line's JSON is parsed from
 * {@code line.getBytes(BYTES)}, its UTF-8 as written. Only regular files are opened, never through a link.
 */
final class StateLines {

    static final Charset BYTES = StandardCharsets.ISO_8859_1;

    private StateLines() {
    }

    static BufferedReader open(Path path) throws IOException {
        return new BufferedReader(Channels.newReader(RegularFiles.open(path), BYTES));
    }
}

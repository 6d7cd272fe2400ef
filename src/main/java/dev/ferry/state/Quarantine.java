package dev.ferry.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ferry.core.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code quarantine/} (docs/reference.md, Folders): whole files set aside because they cannot be read as data: not a
 * regular file, unreadable, or their checkpoint or replay state is corrupt. Each entry {@code X} is moved there as it
 * is, by a rename that never follows a link and never opens the entry (a symbolic link stays a link, a FIFO a
 * FIFO), and gets {@code X.reason.json}: where it was, why, what an operator can do, when, which run. A
 * repeated name gets {@code .1}, {@code .2}, …; a name too long to take the suffixes is shortened
 * ({@link SafeNames#shortened}), its full name kept in the reason. Setting a file aside never stops the run.
 */
@ApplicationScoped
public class Quarantine {

    /** The suffix of the reason beside each quarantined entry. */
    public static final String REASON = ".reason.json";

    private static final Logger LOG = Logger.getLogger(Quarantine.class);

    /**
     * {@code X.reason.json}.
     *
     * @param file          where the entry was, relative to the data dir ({@code inbox/x.csv})
     * @param reason        why it cannot be read as data
     * @param whatNext      what it holds and how to bring its records back
     * @param quarantinedAt when it was set aside
     * @param runId         the run that set it aside
     */
    @RegisterForReflection
    public record Note(String file, String reason, String whatNext, Instant quarantinedAt, String runId) {
    }

    /** A quarantined entry and its note (null when the note is missing or unreadable). */
    @RegisterForReflection
    public record Entry(String name, Note note) {
    }

    private final DataDir dataDir;
    private final Clock clock;

    public Quarantine(DataDir dataDir, Clock clock) {
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /**
     * Moves {@code source} (an entry of a folder of the data dir) to quarantine/ and writes its reason.
     *
     * @return where it went; empty when it vanished first (nothing to set aside)
     */
    public Optional<Path> put(Path source, String reason, String runId) throws IOException {
        String from = dataDir.root().relativize(source.toAbsolutePath().normalize()).toString();
        Path to = SafeNames.free(dataDir.quarantine(), source.getFileName().toString(),
                REASON.getBytes(StandardCharsets.UTF_8).length);
        try {
            AtomicFiles.move(source, to);
        } catch (NoSuchFileException e) {
            if (Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw e; // quarantine/ itself is missing: the volume's problem
            }
            LOG.infof("%s vanished before it could be set aside", from);
            return Optional.empty();
        }
        Note note = new Note(from, reason, whatNext(from), clock.instant(), runId);
        AtomicFiles.write(reasonOf(to), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(note));
        LOG.warnf("%s set aside as quarantine/%s: %s", from, to.getFileName(), reason);
        return Optional.of(to);
    }

    /**
     * Every quarantined entry, by name ({@link SafeNames#shown}), with its note. Entries and notes are matched by
     * the names on the disk: a name the locale cannot decode cannot be made into a path again.
     */
    public List<Entry> list() throws IOException {
        Map<String, Path> reasons = new HashMap<>();
        List<Path> quarantined = new ArrayList<>();
        for (Path file : DataDir.files(dataDir.quarantine())) {
            if (SafeNames.original(file).endsWith(REASON)) {
                reasons.put(SafeNames.original(file), file);
            } else {
                quarantined.add(file);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Path file : quarantined) {
            entries.add(new Entry(SafeNames.shown(file), note(reasons.get(SafeNames.original(file) + REASON))));
        }
        return entries;
    }

    private static Note note(Path reason) {
        if (reason == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(reason), Note.class); // a File would lose the name's bytes
        } catch (IOException missingOrDamaged) {
            return null;
        }
    }

    private static Path reasonOf(Path entry) {
        return entry.resolveSibling(entry.getFileName() + REASON);
    }

    /** What the entry holds and how its records can come back, by the folder it came from. */
    private static String whatNext(String from) {
        String folder = from.contains("/") ? from.substring(0, from.indexOf('/')) : "";
        return switch (folder) {
            case "inbox" -> "Nothing was read from it. To deliver its records, drop them into inbox/ again as a"
                    + " regular file.";
            case "processing" -> "It holds records of which some may have been delivered. After fixing it, drop it"
                    + " into inbox/ again: records sent again carry the same idempotency key.";
            case "failed" -> "It holds records that ran out of retries and were NOT delivered. After fixing the"
                    + " cause, move it back to failed/ and the next run replays it; check first that no newer record"
                    + " of its keys was delivered since, which the replay would overwrite.";
            default -> "ferry no longer reads it; it is kept for inspection.";
        };
    }
}

package dev.ferry.check;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.ingest.Inbox;
import dev.ferry.ingest.ReaderSettings;
import dev.ferry.ingest.RecordParseException;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.ingest.SourceRecord;
import dev.ferry.ingest.UnreadableFileException;
import dev.ferry.run.StartChecks;
import dev.ferry.state.DataDir;
import dev.ferry.target.TargetConnection;

/**
 * {@code ferry check-config}: what a user runs before the first real run. It checks the configuration exactly as a
 * run does at start ({@link StartChecks}: a mistake is a {@link ConfigurationError}, exit 78), then reads the first
 * records of each inbox file with the reader and the shaper a run uses and prints each as the request it would be
 * (see {@link RequestPreview}), or, for a line a run would reject, its file, line and reason.
 * <p>
 * It sends nothing and writes nothing: no claim, no checkpoint, no lock, no report; files are only read, and only
 * regular files, never through a link (what is not one is named and left unopened, as a run sets it aside). The
 * records are read as from a claim named {@value #CLAIM_ID}, so the {@code Idempotency-Key} shown is the one that
 * claim would give the line; a real run claims each file anew and sends other keys.
 */
@ApplicationScoped
public class DryRun {

    /** The claim id the records are read with: part of the Idempotency-Key shown. */
    public static final String CLAIM_ID = "dry-run";

    /**
     * What was shown.
     *
     * @param files    inbox files looked at
     * @param requests records shown as requests
     * @param rejected lines shown as a run would reject them (input problems, not configuration ones)
     * @param setAside files a run would set aside in quarantine/ unread
     */
    public record Summary(int files, int requests, int rejected, int setAside) {
    }

    /** {@code --file} names no file that a run would take from the inbox. */
    public static final class NotInInbox extends Exception {

        NotInInbox(String message) {
            super(message);
        }
    }

    private final FerryConfig config;
    private final StartChecks checks;
    private final TargetConnection target;
    private final DataDir dataDir;
    private final Clock clock;

    public DryRun(FerryConfig config, StartChecks checks, TargetConnection target, DataDir dataDir, Clock clock) {
        this.config = config;
        this.checks = checks;
        this.target = target;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /**
     * Prints the first {@code perFile} records of each inbox file, in name order, or of the one file {@code only}.
     *
     * @param perFile records shown of each file, a line that would be rejected counting as one; at least 1
     * @throws ConfigurationError a run would stop at start on this configuration (exit 78)
     * @throws NotInInbox         {@code only} is not a file a run would take from the inbox
     * @throws IOException        the volume cannot be read
     */
    public Summary show(int perFile, Optional<String> only, PrintWriter out) throws IOException, NotInInbox {
        ReaderSettings settings = checks.check();
        RequestPreview preview = RequestPreview.of(config, target);
        if (!Files.isDirectory(dataDir.root())) {
            throw new ConfigurationError("ferry.data-dir", dataDir.root() + " is not a directory");
        }
        List<Inbox.Entry> entries = Files.isDirectory(dataDir.inbox())
                ? new Inbox(dataDir.inbox(), config.inbox().settle(), clock).entries()
                : List.of();
        if (only.isPresent()) {
            entries = entries.stream().filter(entry -> entry.name().equals(only.get())).toList();
            if (entries.isEmpty()) {
                throw new NotInInbox("no file named '" + only.get() + "' in " + dataDir.inbox() + " that a run "
                        + "would take (*.csv, *.ndjson, *.jsonl; not hidden, not *.tmp or *.part)");
            }
        }
        out.printf("ferry check-config: the configuration is usable. The first %d record(s) of each inbox file, as "
                + "the requests a run would send; nothing is sent and nothing in %s changes.%n", perFile,
                dataDir.root());
        out.printf("Idempotency-Key: what each line would carry in a claim named \"%s\"; a real run claims each file "
                + "anew, so the keys it sends differ.%n", CLAIM_ID);
        int requests = 0;
        int rejected = 0;
        int setAside = 0;
        for (Inbox.Entry entry : entries) {
            out.println();
            if (entry.kind() == Inbox.Kind.NOT_A_REGULAR_FILE) {
                out.printf("== inbox/%s: not opened: it is %s, which a run sets aside in quarantine/%n", entry.name(),
                        entry.type());
                setAside++;
                continue;
            }
            SourceFormat format = SourceFormat.of(entry.name()).orElseThrow(); // the inbox lists no other name
            out.printf("== inbox/%s (%s)%s%n", entry.name(), format, entry.kind() == Inbox.Kind.NOT_SETTLED
                    ? ", changed within ferry.inbox.settle: a run waits until it is complete" : "");
            RecordReader reader;
            try {
                reader = format.open(entry.path(), settings, CLAIM_ID, 0, 0);
            } catch (NoSuchFileException vanished) {
                out.println("   gone since the inbox was listed");
                continue;
            } catch (UnreadableFileException unreadable) {
                out.printf("   a run would set it aside in quarantine/: %s%n", unreadable.reason());
                setAside++;
                continue;
            }
            try (reader) {
                int shown = 0;
                for (; shown < perFile; shown++) {
                    try {
                        SourceRecord record = reader.read();
                        if (record == null) {
                            break;
                        }
                        out.println();
                        preview.print(record, out);
                        requests++;
                    } catch (RecordParseException reject) {
                        out.println();
                        out.printf("%s: would be rejected: %s%n", lines(reject), reject.reason());
                        rejected++;
                    }
                }
                if (shown == perFile && hasMore(reader)) {
                    out.printf("%n   … the file goes on (--records shows more)%n");
                }
            }
        }
        Summary summary = new Summary(entries.size(), requests, rejected, setAside);
        out.println();
        out.printf("%d file(s): %d request(s) shown, %d line(s) a run would reject, %d file(s) it would set aside; "
                + "nothing was sent.%s%n", summary.files(), summary.requests(), summary.rejected(), summary.setAside(),
                rejected + setAside > 0 ? " Those are input problems, not configuration ones (a run puts them in "
                        + "rejected/ or quarantine/ and goes on), so the check passes." : "");
        out.flush();
        return summary;
    }

    /** file:line, or file:first-last for a CSV row with line breaks in a quoted field. */
    private static String lines(RecordParseException reject) {
        return reject.file() + ":" + (reject.lastLine() > reject.line() ? reject.line() + "-" + reject.lastLine()
                : String.valueOf(reject.line()));
    }

    private static boolean hasMore(RecordReader reader) throws IOException {
        try {
            return reader.read() != null;
        } catch (RecordParseException reject) {
            return true;
        }
    }
}

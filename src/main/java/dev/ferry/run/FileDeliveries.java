package dev.ferry.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.StopSignal;
import dev.ferry.delivery.RecordDelivery;
import dev.ferry.delivery.Redaction;
import dev.ferry.ingest.FailedRecordReader;
import dev.ferry.ingest.ReaderSettings;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.ingest.UnreadableFileException;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.state.Checkpoint;
import dev.ferry.state.Checkpoints;
import dev.ferry.state.RunReport;

/**
 * Opens one file of a run (a source in processing/, or a failed/ file being replayed) at its checkpoint and
 * delivers it with a {@link FileDelivery}; holds what every file's delivery needs from the application.
 */
@Singleton // no client proxy: FileDelivery reads these fields directly
class FileDeliveries {

    private static final Logger LOG = Logger.getLogger(FileDeliveries.class);
    /** How often a file's checkpoint is written while its records settle. */
    static final Duration CHECKPOINT_EVERY = Duration.ofMillis(200);

    final RecordDelivery delivery;
    final Checkpoints checkpoints;
    final StopSignal stop;
    final FerryMetrics metrics;
    final Clock clock;
    /** What log lines may show of records and of the API's answers (ferry.log.redact-fields). */
    final Redaction redaction;
    /** Once the run stops, records in flight get one request timeout (and a second) to end. */
    final Duration grace;
    private final FerryConfig config;
    private ReaderSettings readerSettings;

    FileDeliveries(RecordDelivery delivery, Checkpoints checkpoints, StopSignal stop, FerryMetrics metrics, Clock clock,
            FerryConfig config) {
        this.delivery = delivery;
        this.checkpoints = checkpoints;
        this.stop = stop;
        this.metrics = metrics;
        this.clock = clock;
        this.redaction = Redaction.of(config);
        this.grace = config.request().timeout().plusSeconds(1);
        this.config = config;
    }

    /**
     * Reads what every file's reader needs from the configuration, once, at the start of a run.
     *
     * @throws ConfigurationError a value cannot be used (exit 78)
     */
    void prepare() {
        readerSettings = ReaderSettings.of(config);
    }

    /** @return true when every record of the file is settled */
    boolean deliver(RunContext run, Path path, Checkpoint start) throws IOException, InterruptedException {
        String name = path.getFileName().toString();
        FileTally tally = new FileTally(name, start.kind());
        run.files.add(tally);
        boolean resumed = start.offset() > 0;
        RecordReader reader;
        try { // an unreadable file stops the run until quarantine/ is wired here
            if (start.kind() == Checkpoint.Kind.REPLAY) {
                reader = new FailedRecordReader(path, "failed/" + name, start.offset(), start.line());
                LOG.infof("replaying failed/%s%s", name, resumed ? " from line " + (start.line() + 1) : "");
            } else {
                SourceFormat format = SourceFormat.of(name)
                        .orElseThrow(() -> new IOException("processing/" + name + " has no supported extension"));
                reader = format.open(path, readerSettings, start.offset(), start.line());
                LOG.infof("%s %s%s", resumed ? "resuming" : "delivering", name,
                        resumed ? " from line " + (start.line() + 1) : "");
            }
        } catch (UnreadableFileException unreadable) {
            throw new IOException(name + ": " + unreadable.reason(), unreadable);
        }
        boolean complete = new FileDelivery(this, run, reader, start, tally).deliver();
        RunReport.FileSummary s = tally.summary();
        LOG.infof("%s: read %d, delivered %d, failed %d, rejected %d, left %d%s", name, s.read(), s.delivered(),
                s.failed(), s.rejected(), s.left(), complete ? "" : " (not finished)");
        return complete;
    }
}

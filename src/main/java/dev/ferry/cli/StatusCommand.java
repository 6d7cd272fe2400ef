package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;
import dev.ferry.state.Quarantine;
import dev.ferry.status.Backlog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The backlog at a glance: inbox, files in progress, failed and rejected records, quarantined "
                + "files, last run, keys to read back after ambiguous answers.")
public class StatusCommand implements Callable<Integer> {

    private static final int SHOWN = 5;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Backlog backlog;

    public StatusCommand(Backlog backlog) {
        this.backlog = backlog;
    }

    @Override
    public Integer call() throws Exception {
        Backlog.View view = backlog.view();
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            return 0;
        }
        out.printf("data dir      %s%s%n", view.dataDir(), "unsharded".equals(view.shard()) ? "" : " (" + view.shard()
                + "; failed records and checkpoints below are this shard's)");
        out.printf("inbox         %d file(s), %d ready%s%n", view.inbox().size(), view.inboxReady(),
                view.inbox().isEmpty() ? "" : "  " + String.join(", ", view.inbox().subList(0, Math.min(5, view.inbox().size())))
                        + (view.inbox().size() > 5 ? ", …" : ""));
        if (view.processing().isEmpty()) {
            out.println("in progress   none");
        }
        for (Backlog.InProgress file : view.processing()) {
            if (file.corrupt() != null) {
                out.printf("in progress   %s (%s): %s; the next run sets it aside in quarantine/%n", file.file(),
                        file.kind(), file.corrupt());
                continue;
            }
            out.printf("in progress   %s (%s), checkpoint after line %d%n", file.file(), file.kind(), file.line());
            if (file.snapshot() != null) {
                out.printf("              %s%n", file.snapshot());
            }
        }
        out.printf("failed        %d record(s) in %d file(s), replayed by the next run%n", view.failedRecords(),
                view.failedFiles());
        out.printf("rejected      %d record(s) in %d file(s), for an operator to fix and re-drop%n",
                view.rejectedRecords(), view.rejectedFiles());
        if (view.rejectedRecords() > 0) {
            out.println("              after a fix on the API's side: ferry requeue --status 422 (or --file, --key, "
                    + "--reason; --dry-run first)");
        }
        printQuarantined(out, view.quarantined());
        if (view.requeueIncomplete() != null) {
            out.printf("requeue       a `ferry requeue` left its move into failed/ incomplete (%s): the next run that "
                    + "gets every shard's lock, or the next `ferry requeue`, completes it; until then runs deliver "
                    + "nothing (exit 75)%n", view.requeueIncomplete());
        }
        for (String work : view.otherShardCount()) {
            out.printf("shard count   left by another count, which must finish it first: %s%n", work);
        }
        JsonNode last = view.lastReport();
        if (view.lastReportUnreadable() != null) {
            out.printf("last run      cannot be read: %s (move it out of reports/ if it is no run's report)%n",
                    view.lastReportUnreadable());
        } else if (last == null) {
            out.println("last run      none yet");
        } else {
            JsonNode r = last.path("records");
            out.printf("last run      %s exit %d, %s: read %d, delivered %d, unchanged %d, deleted %d, failed %d, "
                    + "rejected %d, left %d%n", last.path("runId").asText(), last.path("exitCode").asInt(),
                    last.path("endedAt").asText(), r.path("read").asLong(), r.path("delivered").asLong(),
                    r.path("unchanged").asLong(), r.path("deleted").asLong(), r.path("failed").asLong(),
                    r.path("rejected").asLong(), r.path("left").asLong());
            JsonNode a = last.path("ambiguous");
            out.printf("ambiguous     %d key(s) to read back%s (last run: confirmed %d, re-sent %d, re-sends failed %d)%n",
                    a.path("pending").asLong(), a.hasNonNull("nextDue") ? ", next due " + a.path("nextDue").asText() : "",
                    a.path("confirmed").asLong(), a.path("resent").asLong(), a.path("resendFailed").asLong());
        }
        return 0;
    }

    /** The first few quarantined files with their reasons; the reason files hold the rest. */
    private static void printQuarantined(PrintWriter out, List<Quarantine.Entry> quarantined) {
        if (quarantined.isEmpty()) {
            out.println("quarantined   none");
            return;
        }
        out.printf("quarantined   %d file(s) set aside unread; see quarantine/<name>.reason.json%n", quarantined.size());
        for (Quarantine.Entry entry : quarantined.subList(0, Math.min(SHOWN, quarantined.size()))) {
            out.printf("              %s: %s%n", entry.name(),
                    entry.note() == null ? "(no reason file)" : entry.note().reason());
        }
        if (quarantined.size() > SHOWN) {
            out.printf("              … and %d more%n", quarantined.size() - SHOWN);
        }
    }
}

package dev.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.ferry.requeue.RequeueFilter;
import dev.ferry.requeue.RequeueResult;
import dev.ferry.requeue.Requeuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "requeue", mixinStandardHelpOptions = true,
        description = "After a fix: moves the selected records from rejected/ to failed/, which the next run delivers "
                + "first; skips keys with a newer version delivered or waiting. Filters combine (AND); a repeated "
                + "filter matches any of its values. With shards it works for every shard: each record goes to "
                + "its key's shard's failed/. Exit 0 done, 75 a run (with shards: any shard's) holds the lock or "
                + "files wait in processing/, 78 another ferry.shard.count left work.")
public class RequeueCommand implements Callable<Integer> {

    @Option(names = "--file", paramLabel = "GLOB",
            description = "Source file the record came from (name, * and ? allowed).")
    List<String> files = new ArrayList<>();

    @Option(names = "--key", paramLabel = "KEY", description = "The record's key, exactly.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS",
            description = "HTTP status of the refusal (422), a class (4xx), or given-up.")
    List<String> statuses = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Text in the reason or the API's answer, case-insensitive.")
    List<String> reasons = new ArrayList<>();

    @Option(names = "--all", description = "Select every record in rejected/ (needed when no filter is given).")
    boolean all;

    @Option(names = "--dry-run", description = "Print what would move, change nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    private final Requeuer requeuer;

    public RequeueCommand(Requeuer requeuer) {
        this.requeuer = requeuer;
    }

    @Override
    public Integer call() throws Exception {
        RequeueFilter filter;
        try {
            filter = RequeueFilter.of(files, keys, statuses, reasons, all);
        } catch (IllegalArgumentException bad) {
            throw new ParameterException(spec.commandLine(), bad.getMessage());
        }
        RequeueResult result = requeuer.requeue(filter, dryRun);
        result.lines().forEach(spec.commandLine().getOut()::println);
        return result.exitCode();
    }
}

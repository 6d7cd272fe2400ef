package dev.ferry.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;
import dev.ferry.core.Shard;

/**
 * The folders of the data volume (docs/reference.md, Folders), and the one place that knows how shards share it
 * ({@code ferry.shard.*}): inbox/, processing/, done/, rejected/, reports/ and quarantine/ are shared; each shard
 * has its own state folder {@code state/shard-<i>-of-<n>/} (checkpoints, lock, breaker, replay, sequence, ledger)
 * and its own {@code failed/shard-<i>-of-<n>/}, which {@link #state()} and {@link #failed()} answer. Unsharded
 * (count 1) the layout is that of earlier releases: {@code state/} and {@code failed/} themselves. In processing/,
 * hidden files of the shards agree on a file's claim and say which shards finished it ({@link #claimRecord},
 * {@link #doneMarker}).
 */
@ApplicationScoped
public class DataDir {

    /** What comes before the shard's name in a done marker's name. */
    public static final String DONE = ".done-";

    /** A shard's folder under state/ or failed/. */
    private static final Pattern SHARD_FOLDER = Pattern.compile("shard-(\\d{1,9})-of-(\\d{1,9})");

    private final Path root;
    private final Shard shard;

    @Inject
    public DataDir(FerryConfig config) {
        this(config.dataDir(), Shard.of(config));
    }

    public DataDir(Path root) {
        this(root, Shard.SINGLE);
    }

    public DataDir(Path root, Shard shard) {
        this.root = root.toAbsolutePath().normalize();
        this.shard = shard;
    }

    public Path root() {
        return root;
    }

    /** The shard this process is (not yet checked: {@link #prepare()} does). */
    public Shard shard() {
        return shard;
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path processing() {
        return root.resolve("processing");
    }

    public Path done() {
        return root.resolve("done");
    }

    /** This shard's failed/ folder. */
    public Path failed() {
        return failed(shard);
    }

    /** The failed/ folder of {@code shard}: {@code failed/}, or {@code failed/shard-<i>-of-<n>/}. */
    public Path failed(Shard shard) {
        Path failed = root.resolve("failed");
        return shard.single() ? failed : failed.resolve(shard.name());
    }

    /**
     * The files of this shard's failed/ folder, by name ({@link #names}); unsharded, without the folders that
     * shards of an earlier layout left there.
     */
    public List<String> failedNames() throws IOException {
        return failedFiles().stream().map(file -> file.getFileName().toString()).toList();
    }

    /** The files {@link #failedNames} names, as listed ({@link #files}). */
    public List<Path> failedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path file : files(failed())) {
            if (!shard.single() || shardOf(file.getFileName().toString()).isEmpty()
                    || !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                files.add(file);
            }
        }
        return files;
    }

    public Path rejected() {
        return root.resolve("rejected");
    }

    /** This shard's state folder. */
    public Path state() {
        return state(shard);
    }

    /** The state folder of {@code shard}: {@code state/}, or {@code state/shard-<i>-of-<n>/}. */
    public Path state(Shard shard) {
        Path state = root.resolve("state");
        return shard.single() ? state : state.resolve(shard.name());
    }

    /** The checkpoints of {@code shard}, in its state folder. */
    public Path checkpoints(Shard shard) {
        return state(shard).resolve("checkpoints");
    }

    public Path reports() {
        return root.resolve("reports");
    }

    /** Whole files set aside because they cannot be read as data, each with its reason ({@link Quarantine}). */
    public Path quarantine() {
        return root.resolve("quarantine");
    }

    /**
     * {@code processing/.<hash>.claim}: the claim id every shard delivers {@code file} under (one per claim of the
     * file; part of every idempotency key), written by the shard that claims it first. Named by a hash of the file's
     * name, so any name fits; hidden, so no listing of processing/ takes it for a source.
     */
    public Path claimRecord(String file) {
        return processing().resolve("." + SafeNames.hash(file) + ".claim");
    }

    /**
     * {@code processing/.<hash>.<claim hash>.done-shard-<i>-of-<n>}: {@code shard} settled every record of its keys
     * in {@code file} as claimed under {@code claimId}. The claim is in the name, so the markers of one claim of a
     * file are never taken for, nor deleted as, those of a later claim of the same name.
     */
    public Path doneMarker(String file, String claimId, Shard shard) {
        return processing().resolve(markerPrefix(file) + SafeNames.hash(claimId).substring(0, 16) + DONE
                + shard.name());
    }

    /** What the done markers of {@code file} begin with, whatever their claim and shard. */
    public static String markerPrefix(String file) {
        return "." + SafeNames.hash(file) + ".";
    }

    /** The shard a folder name {@code shard-<i>-of-<n>} (or the end of a done marker's name) names, if any. */
    public static Optional<Shard> shardOf(String name) {
        Matcher matcher = SHARD_FOLDER.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Shard(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }

    /**
     * The files of a folder, by name, without hidden and {@code *.tmp} files (temporary files of an
     * atomic write); none when the folder does not exist.
     */
    public static List<String> names(Path folder) throws IOException {
        return files(folder).stream().map(file -> file.getFileName().toString()).toList();
    }

    /**
     * The files {@link #names} names, as listed: a listed path keeps the bytes of its name, which a path made again
     * from the name cannot under a locale that does not decode them ({@link SafeNames#original}).
     */
    public static List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(path -> !path.getFileName().toString().startsWith(".")
                    && !path.getFileName().toString().endsWith(".tmp"))
                    .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .toList();
        }
    }

    /**
     * Checks the shard and that the data dir is a directory, creating nothing: what a look that must leave the
     * volume as it was (a dry run) needs before it reads.
     *
     * @throws ConfigurationError {@code ferry.shard.*} out of range, or the data dir absent (exit 78)
     */
    public void check() {
        shard.check();
        if (!Files.isDirectory(root)) {
            throw new ConfigurationError("ferry.data-dir", root + " is not a directory");
        }
    }

    /**
     * Checks the shard and creates the folders that are missing (with ferry's modes, {@link FileModes}); a data dir
     * that is absent or read-only is a configuration error.
     *
     * @throws ConfigurationError {@code ferry.shard.*} out of range, or the data dir unusable (exit 78)
     */
    public void prepare() {
        check();
        try {
            for (Path folder : new Path[] { inbox(), processing(), done(), failed(), rejected(), state(), reports(),
                    quarantine(), checkpoints(shard) }) {
                Files.createDirectories(folder, FileModes.folder());
            }
        } catch (IOException e) {
            throw new ConfigurationError("ferry.data-dir", "cannot create the folders under " + root + ": " + e);
        }
        if (!Files.isWritable(state())) {
            throw new ConfigurationError("ferry.data-dir", root + " is not writable");
        }
    }
}

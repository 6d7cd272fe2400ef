package dev.ferry.state;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.core.Json;
import dev.ferry.core.Shard;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the shards of one data dir agree on about a source file in processing/ ({@code ferry.shard.count} > 1):
 * <ul>
 * <li>its <b>claim record</b> ({@link DataDir#claimRecord}): the claim id all shards deliver it under (part of every
 * idempotency key), created by the first shard that claims the file, before the file leaves the inbox, with a hard link
 * — which fails when the record exists, atomically, also on NFS — so that two shards racing for the file agree on one
 * id;
 * <li>its <b>done markers</b> ({@link DataDir#doneMarker}): one per shard that settled every record of its keys in
 * the file, named after the claim, so that a marker a crashed clean-up left behind never counts for a later claim
 * of the same name.
 * </ul>
 * A file leaves processing/ in this order ({@code Sources}): its claim record goes, then stale markers of earlier
 * claims, then the file, then its markers. So a file in processing/ without a claim record is one every shard
 * finished, and its markers say under which claim. Every write is atomic. Thread-safe; safe between processes.
 */
@ApplicationScoped
public class ShardClaims {

    /** The content of a claim record and of a done marker. */
    @RegisterForReflection
    public record Claim(String file, String claimId) {
    }

    private final DataDir dataDir;

    public ShardClaims(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Deletes the temporary files this shard's writes to processing/ left when its process was killed: a claim
     * record's ({@code .<hash>.<shard>.tmp}) and a done marker's ({@code ..<marker>.tmp}, the marker's name ending in
     * the shard's). Only this shard writes them, and one process of it runs at a time (its run lock).
     *
     * @return how many were deleted
     */
    public int dropLeftovers() throws IOException {
        String shard = dataDir.shard().name();
        if (!Files.isDirectory(dataDir.processing())) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(dataDir.processing())) {
            leftovers = entries.filter(path -> {
                String name = path.getFileName().toString();
                return name.startsWith(".")
                        && (name.endsWith("." + shard + ".tmp") || name.endsWith("-" + shard + ".tmp"));
            }).toList();
        }
        int dropped = 0;
        for (Path leftover : leftovers) {
            dropped += AtomicFiles.delete(leftover) ? 1 : 0;
        }
        return dropped;
    }

    /**
     * The claim id of {@code file}: the one its claim record holds, or {@code proposed}, recorded now when there is
     * none.
     *
     * @throws IOException also when the volume cannot make hard links (sharing a data dir needs them)
     */
    public String agree(String file, String proposed) throws IOException {
        Optional<String> existing = claimId(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path record = dataDir.claimRecord(file);
        try {
            AtomicFiles.createExclusive(record, Json.MAPPER.writeValueAsBytes(new Claim(file, proposed)),
                    dataDir.shard().name());
            return proposed;
        } catch (FileAlreadyExistsException lost) { // another shard was first: its id is the file's
            return claimId(file).orElseThrow(() -> new IOException(dataDir.root().relativize(record)
                    + " was there and is gone: another process is changing processing/"));
        } catch (UnsupportedOperationException noLinks) {
            throw new IOException("the data volume cannot make hard links, which ferry.shard.count > 1 needs to claim "
                    + "files safely (NFS, CephFS and EFS can)", noLinks);
        }
    }

    /** The claim id of {@code file}'s claim record; empty when it has none. */
    public Optional<String> claimId(String file) throws IOException {
        return read(dataDir.claimRecord(file), file);
    }

    /** {@code shard} settled its keys of {@code file}, claimed as {@code claimId}: its done marker. */
    public void markDone(String file, String claimId, Shard shard) throws IOException {
        AtomicFiles.write(dataDir.doneMarker(file, claimId, shard),
                Json.MAPPER.writeValueAsBytes(new Claim(file, claimId)));
    }

    /**
     * Whether {@code shard} finished {@code file}: it has a marker of the file's claim (of any claim when the claim
     * record is gone: every shard finished the file, only its move to done/ is missing).
     */
    public boolean doneBy(String file, Shard shard) throws IOException {
        Optional<String> claim = claimId(file);
        if (claim.isPresent()) {
            return Files.exists(dataDir.doneMarker(file, claim.get(), shard));
        }
        return markers(file).stream().anyMatch(marker -> marker.shard().equals(shard));
    }

    /**
     * The claim under which every shard of {@code shard}'s count finished {@code file}: the claim record's, or, when
     * the record is gone, the one whose markers are complete; empty while a shard has not finished it.
     */
    public Optional<String> finishedClaim(String file, Shard shard) throws IOException {
        Optional<String> claim = claimId(file);
        Map<String, List<Marker>> byClaim = new LinkedHashMap<>();
        for (Marker marker : markers(file)) {
            if (marker.shard().count() == shard.count()) {
                byClaim.computeIfAbsent(marker.claimId(), id -> new ArrayList<>()).add(marker);
            }
        }
        for (Map.Entry<String, List<Marker>> markers : byClaim.entrySet()) {
            boolean current = claim.isEmpty() || claim.get().equals(markers.getKey());
            if (current && markers.getValue().stream().map(Marker::shard).distinct().count() == shard.count()) {
                return Optional.of(markers.getKey());
            }
        }
        return Optional.empty();
    }

    /** Deletes {@code file}'s claim record: the first step of its leaving processing/. */
    public void forgetClaim(String file) throws IOException {
        AtomicFiles.delete(dataDir.claimRecord(file));
    }

    /**
     * Deletes {@code file}'s done markers of claim {@code claimId} ({@code keep} false), or those of every other
     * claim ({@code keep} true: markers a crashed clean-up of an earlier claim left).
     */
    public void forgetMarkers(String file, String claimId, boolean keep) throws IOException {
        for (Marker marker : markers(file)) {
            if (marker.claimId().equals(claimId) != keep) {
                AtomicFiles.delete(marker.path());
            }
        }
    }

    /** Whether {@code file} has a claim record or a done marker: shards have claimed it. */
    public boolean claimedByShards(String file) throws IOException {
        return Files.exists(dataDir.claimRecord(file)) || !markers(file).isEmpty();
    }

    /** The shards, of any count, that left done markers of {@code file}. */
    public List<Shard> markedBy(String file) throws IOException {
        return markers(file).stream().map(Marker::shard).distinct().toList();
    }

    /** One done marker: where, which shard, which claim. */
    private record Marker(Path path, Shard shard, String claimId) {
    }

    private List<Marker> markers(String file) throws IOException {
        String prefix = DataDir.markerPrefix(file);
        if (!Files.isDirectory(dataDir.processing())) {
            return List.of();
        }
        List<Marker> markers = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dataDir.processing())) {
            for (Path path : entries.sorted().toList()) {
                String name = path.getFileName().toString();
                int done = name.lastIndexOf(DataDir.DONE);
                if (!name.startsWith(prefix) || done < 0) {
                    continue;
                }
                Optional<Shard> shard = DataDir.shardOf(name.substring(done + DataDir.DONE.length()));
                Optional<String> claimId = read(path, file);
                if (shard.isPresent() && claimId.isPresent()) {
                    markers.add(new Marker(path, shard.get(), claimId.get()));
                }
            }
        }
        return markers;
    }

    /** The claim id in a claim record or marker of {@code file}; empty when there is none or it is damaged. */
    private Optional<String> read(Path path, String file) throws IOException {
        Claim claim;
        try {
            claim = Json.MAPPER.readValue(Files.readAllBytes(path), Claim.class);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (JsonProcessingException damaged) {
            return Optional.empty(); // written atomically: only a hand-made file reads so
        } catch (FileSystemException gone) {
            if (!Files.exists(path)) {
                return Optional.empty();
            }
            throw gone;
        }
        return claim != null && file.equals(claim.file()) && claim.claimId() != null ? Optional.of(claim.claimId())
                : Optional.empty();
    }
}

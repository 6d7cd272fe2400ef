package dev.ferry.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The keys named by the snapshot file being delivered ({@code ferry.snapshot.pattern}), kept beside the delivered
 * versions in {@code state/delivered.mv}: a second B-tree of the same MVStore, so that the commit before each
 * checkpoint makes the keys of the records it counts as settled durable with them, and ten million keys live on
 * disk, not in the heap. The keys to delete are those of the index that this map lacks: a merge of the two trees
 * in key order, streamed in batches ({@link #absent}).
 *
 * <p>One snapshot owns the keys at a time, named by its claim id: {@link #begin} forgets the keys of any other,
 * {@link #release} forgets them once its file is done. A run that finds the keys owned by another claim than the
 * snapshot it resumes cannot know which keys that snapshot named, and must not delete any. Thread-safe: workers add
 * keys while the reader thread checkpoints.
 */
public final class SnapshotKeys {

    private static final String KEYS = "snapshot-keys";
    private static final String OWNERS = "snapshot-owner";
    private static final String OWNER = "claim";
    private static final byte[] PRESENT = new byte[0];

    private final DeliveredIndex index;
    private final MVMap<String, byte[]> versions;
    private final MVMap<String, byte[]> keys;
    private final MVMap<String, String> owner;

    SnapshotKeys(DeliveredIndex index, MVStore store, MVMap<String, byte[]> versions) {
        this.index = index;
        this.versions = versions;
        this.keys = store.openMap(KEYS, new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
        this.owner = store.openMap(OWNERS, new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
    }

    /** Snapshot {@code claim} starts: the keys of any snapshot before it are forgotten. */
    public void begin(String claim) throws IOException {
        try {
            keys.clear();
            owner.put(OWNER, claim);
        } catch (MVStoreException e) {
            throw DeliveredIndex.failure(null, e);
        }
    }

    /** Whether the keys are those of snapshot {@code claim} (they survive a crash once committed). */
    public boolean ownedBy(String claim) {
        return claim.equals(owner.get(OWNER));
    }

    /** The snapshot names {@code key} (durable from the next commit). */
    public void add(String key) throws IOException {
        try {
            keys.put(key, PRESENT);
        } catch (MVStoreException e) {
            throw DeliveredIndex.failure(null, e);
        }
        index.commitIfLarge();
    }

    /** Snapshot {@code claim} is done: its keys are forgotten (nothing happens when another owns them). */
    public void release(String claim) throws IOException {
        if (ownedBy(claim)) {
            try {
                keys.clear();
                owner.remove(OWNER);
            } catch (MVStoreException e) {
                throw DeliveredIndex.failure(null, e);
            }
        }
    }

    /** How many keys of the index the snapshot did not name. */
    public long countAbsent() {
        long absent = 0;
        Iterator<String> known = versions.keyIterator(null);
        Iterator<String> named = keys.keyIterator(null);
        String next = named.hasNext() ? named.next() : null;
        while (known.hasNext()) {
            String key = known.next();
            while (next != null && next.compareTo(key) < 0) {
                next = named.hasNext() ? named.next() : null;
            }
            if (!key.equals(next)) {
                absent++;
            }
        }
        return absent;
    }

    /**
     * The first {@code most} entries of the index whose key the snapshot did not name, in key order, after
     * {@code afterKey} (from the first when null). Read in one go: an iterator kept across a commit could read pages
     * that the commit has reused (the store keeps no old versions), so a caller goes on with another call after the
     * last key it got.
     */
    public List<DeliveredIndex.Entry> absent(String afterKey, int most) {
        List<DeliveredIndex.Entry> absent = new ArrayList<>();
        String from = afterKey == null ? null : versions.higherKey(afterKey);
        if (afterKey != null && from == null) {
            return absent;
        }
        Cursor<String, byte[]> known = versions.cursor(from);
        Iterator<String> named = keys.keyIterator(from);
        String next = named.hasNext() ? named.next() : null;
        while (absent.size() < most && known.hasNext()) {
            String key = known.next();
            while (next != null && next.compareTo(key) < 0) {
                next = named.hasNext() ? named.next() : null;
            }
            if (!key.equals(next)) {
                absent.add(DeliveredIndex.decode(key, known.getValue()));
            }
        }
        return absent;
    }
}

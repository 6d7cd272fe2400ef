package dev.ferry.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import java.util.Set;

/**
 * An NDJSON file in failed/ or rejected/ that a run appends to. Named when the run starts (so every
 * checkpoint can name it; the names sort in creation order, {@link FileSequence}), created on the first append.
 * {@link #sync()} makes every append so far durable; the
 * checkpoint records {@link #name()} and {@link #size()} so that a resumed run can cut off lines
 * written after it (those records are processed again). Created with ferry's modes ({@link FileModes}). Thread-safe.
 */
public final class AppendLog implements AutoCloseable {

    private final Path folder;
    private final Supplier<String> names;
    private String name;
    private FileChannel channel;
    private long size;
    private boolean dirty;

    /** @param names gives the name of each new file (the first now, one more at each {@link #rotate()}) */
    public AppendLog(Path folder, Supplier<String> names) {
        this.folder = folder;
        this.names = names;
        this.name = names.get();
    }

    /** Continues an existing file (a resumed replay generation's tail) after cutting it to {@code size}. */
    public synchronized void continueFile(String existing, long keep) throws IOException {
        closeChannel();
        name = existing;
        Path path = folder.resolve(existing);
        if (Files.exists(path)) {
            truncate(path, keep);
            size = Files.size(path);
        } else {
            size = 0;
        }
    }

    public synchronized void append(String jsonLine) throws IOException {
        if (channel == null) {
            open();
        }
        ByteBuffer buffer = ByteBuffer.wrap((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
        dirty = true;
    }

    /** fsyncs what was appended; called before a checkpoint moves past the appended records. */
    public synchronized void sync() throws IOException {
        if (channel != null && dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    /** Name of the file appended to; it exists once something was appended. */
    public synchronized String name() {
        return name;
    }

    /** Bytes in the file now. */
    public synchronized long size() {
        return size;
    }

    /** The next append starts a new file. */
    public synchronized void rotate() throws IOException {
        sync();
        closeChannel();
        name = names.get();
        size = 0;
    }


    private void open() throws IOException {
        Path path = folder.resolve(name);
        boolean created = !Files.exists(path);
        channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), FileModes.file());
        size = channel.size();
        if (created) {
            AtomicFiles.syncFolder(folder);
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        sync();
        closeChannel();
    }

    /** Cuts a file back to {@code size} bytes: what a crashed run wrote after its last checkpoint. */
    public static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() > size) {
                channel.truncate(size);
                channel.force(true);
            }
        }
    }
}

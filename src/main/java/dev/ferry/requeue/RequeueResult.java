package dev.ferry.requeue;

import java.util.List;
import java.util.Map;

/**
 * What {@code ferry requeue} did (a dry run: would do), and the lines that tell an operator.
 *
 * @param exitCode   0 when it ran (whatever it moved), 75 when it refused to run now
 * @param failedFile the failed/ file the records went to; null when none was written, and with shards (see
 *                   {@code shards})
 * @param moved      keys of the records moved to failed/
 * @param superseded keys of older rejections of moved keys, gone from rejected/ with them
 * @param skipped    per reason, the keys (the {@code source} for lines without a record) left in rejected/
 * @param lines      the summary for an operator, keys as {@code ferry.log.redact-fields} lets them show
 * @param shards     with {@code ferry.shard.count} &gt; 1, what went to each shard, every shard of the count in
 *                   order; empty unsharded
 */
public record RequeueResult(int exitCode, String failedFile, List<String> moved, List<String> superseded,
        Map<SkipReason, List<String>> skipped, List<String> lines, List<ShardFile> shards) {

    /**
     * What one shard received.
     *
     * @param shard      {@code shard-<i>-of-<n>}
     * @param failedFile its new failed/ file, relative to failed/ ({@code shard-<i>-of-<n>/<name>}); null when it
     *                   received nothing, or in a dry run
     * @param keys       keys of the records it received (would receive, in a dry run), in replay order
     */
    public record ShardFile(String shard, String failedFile, List<String> keys) {
    }
}

package dev.ferry.demo;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/**
 * The demo's input: two CSV and two NDJSON files whose keys repeat across and within files (later
 * records update earlier ones), with a few unusable lines. Some accounts go A → B → A: active in the first
 * file, suspended in the second, active again — the very same row — in the third, which only idempotency keys
 * that tell deliveries apart get right. Remembers what the API should hold at the end: the last usable record of
 * every key the API does not refuse, shaped as the demo profile says ({@code %demo.ferry.record.*}): the CSV's
 * {@code since} a date and its {@code vip} ({@code yes}/{@code no}) a boolean, {@code name} renamed
 * {@code fullName} in both formats. One row per CSV file has a date that does not exist, which shaping rejects.
 */
final class SampleFiles {

    private final Map<String, ObjectNode> expected = new LinkedHashMap<>();
    private int records;
    private int unusable;

    /** Writes about {@code count} records into {@code inbox} (via *.tmp + rename, as producers should). */
    static SampleFiles write(Path inbox, int count, long seed, Set<String> refusedKeys) throws IOException {
        SampleFiles files = new SampleFiles();
        Random random = new Random(seed);
        int perFile = Math.max(1, count / 4);
        files.csv(inbox.resolve("2026-11-01-customers.csv"), perFile, random, 0, ACTIVE);
        files.ndjson(inbox.resolve("2026-11-02-customers.ndjson"), perFile, random, perFile, SUSPENDED);
        files.csv(inbox.resolve("2026-11-03-customers.csv"), perFile, random, 2 * perFile, ACTIVE);
        files.ndjson(inbox.resolve("2026-11-04-customers.jsonl"), count - 3 * perFile, random, 3 * perFile, null);
        refusedKeys.forEach(files.expected::remove);
        return files;
    }

    /** A record written once, in the first file, that the demo's API always fails. */
    static final String POISON = "p-001";

    /** Accounts whose value returns to an earlier one: a-001 … a-010. */
    static final int RETURNING = 10;
    private static final String ACTIVE = "active";
    private static final String SUSPENDED = "suspended";
    /** The accounts' customer-since date: the same in every file, so that an A row is the very same row. */
    private static final String ACCOUNTS_SINCE = "2019-06-01";
    private static final LocalDate FIRST_SINCE = LocalDate.of(2015, 1, 1);

    /** key → the record the API should hold for it. */
    Map<String, ObjectNode> expected() {
        return expected;
    }

    int records() {
        return records;
    }

    int unusable() {
        return unusable;
    }

    private String key(Random random, int fresh) {
        // a quarter of the records update a key seen before
        int id = fresh > 0 && random.nextInt(4) == 0 ? 1 + random.nextInt(fresh) : fresh + 1;
        return String.format("c-%05d", id);
    }

    private void csv(Path file, int count, Random random, int seen, String accounts) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write("id,name,tier,since,vip,note\n");
            for (int i = 0; i < count; i++) {
                String key = key(random, seen + i);
                String tier = new String[] { "bronze", "silver", "gold" }[random.nextInt(3)];
                String since = FIRST_SINCE.plusDays(random.nextInt(3650)).toString();
                boolean vip = random.nextInt(5) == 0;
                String note = i % 97 == 5 ? "\"multi-line\nnote, with \"\"quotes\"\"\"" : "v" + random.nextInt(1000);
                out.write(key + ",Customer " + key + "," + tier + "," + since + "," + (vip ? "yes" : "no") + "," + note
                        + "\n");
                expected.put(key, customer(key, "Customer " + key, tier, since, vip,
                        note.startsWith("\"") ? "multi-line\nnote, with \"quotes\"" : note));
                records++;
            }
            if (seen == 0) {
                out.write(POISON + ",Account " + POISON + ",gold," + ACCOUNTS_SINCE + ",yes,always fails\n");
                records++;
            }
            for (int a = 1; a <= RETURNING; a++) {
                String key = String.format("a-%03d", a);
                out.write(key + ",Account " + key + ",gold," + ACCOUNTS_SINCE + ",yes," + accounts + "\n");
                expected.put(key, customer(key, "Account " + key, "gold", ACCOUNTS_SINCE, true, accounts));
                records++;
            }
            out.write("c-99999,too,many,fields,in,this,row\n");
            out.write("c-99998,Customer c-99998,silver,2024-02-30,no,a date that does not exist\n");
            unusable += 2;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A CSV row as the API gets it: shaped by the demo profile. */
    private static ObjectNode customer(String key, String fullName, String tier, String since, boolean vip,
            String note) {
        return Json.MAPPER.createObjectNode().put("id", key).put("fullName", fullName).put("tier", tier)
                .put("since", since).put("vip", vip).put("note", note);
    }

    private void ndjson(Path file, int count, Random random, int seen, String accounts) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                String key = key(random, seen + i);
                BigDecimal balance = new BigDecimal(random.nextInt(100000)).movePointLeft(2);
                String tag = random.nextBoolean() ? "new" : "returning";
                ObjectNode record = Json.MAPPER.createObjectNode().put("id", key).put("name", "Customer " + key)
                        .put("balance", balance);
                record.putArray("tags").add(tag);
                out.write(Json.write(record) + "\n");
                ObjectNode shaped = Json.MAPPER.createObjectNode().put("id", key).put("fullName", "Customer " + key)
                        .put("balance", balance);
                shaped.putArray("tags").add(tag);
                expected.put(key, shaped);
                records++;
            }
            for (int a = 1; accounts != null && a <= RETURNING; a++) {
                String key = String.format("a-%03d", a);
                out.write(Json.write(Json.MAPPER.createObjectNode().put("id", key).put("name", "Account " + key)
                        .put("tier", "gold").put("note", accounts)) + "\n");
                expected.put(key, Json.MAPPER.createObjectNode().put("id", key).put("fullName", "Account " + key)
                        .put("tier", "gold").put("note", accounts));
                records++;
            }
            out.write("{\"name\":\"no id here\"}\n");
            out.write("{\"id\": \"c-00001\", broken json\n");
            unusable += 2;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Keys whose stored value differs from (or lacks) the expected one, and keys stored unexpectedly. */
    static int differences(Map<String, ObjectNode> expected, Map<String, JsonNode> actual) {
        int differences = 0;
        for (Map.Entry<String, ObjectNode> entry : expected.entrySet()) {
            JsonNode stored = actual.get(entry.getKey());
            if (stored == null || !Json.canonical(stored).equals(Json.canonical(entry.getValue()))) {
                differences++;
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                differences++;
            }
        }
        return differences;
    }
}

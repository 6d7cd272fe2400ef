package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** A key's shard (the recipe in docs/reference.md, Shards) and the range of {@code ferry.shard.*}. */
class ShardTest {

    /**
     * The recipe as outside tools compute it: these were computed with Python,
     * {@code int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], 'big') % count}. Two of the first 8 bytes
     * begin with a set bit, so a signed reading would give other shards.
     */
    @Test
    void shardOfAKey_isTheDocumentedRecipe_computedElsewhere() {
        assertThat(Shard.of("k1", 3)).isEqualTo(1);
        assertThat(Shard.of("customer-42", 4)).isEqualTo(1); // 0xa045eb33f8797f35
        assertThat(Shard.of("ü-ключ", 7)).isEqualTo(6); // 0x9197053e039f20e3, UTF-8
        assertThat(Shard.of("", 2)).isEqualTo(0);
        assertThat(Shard.of("0", 1000)).isEqualTo(40);
    }

    @Property(tries = 200)
    void everyKey_isOwnedByExactlyOneShard(@ForAll String key, @ForAll @IntRange(min = 1, max = 16) int count) {
        long owners = IntStream.range(0, count).filter(index -> new Shard(index, count).owns(key)).count();

        assertThat(owners).isEqualTo(1);
        assertThat(new Shard(0, 1).owns(key)).isTrue();
    }

    @Test
    void keys_spreadEvenlyOverTheShards() {
        int[] perShard = new int[4];
        for (int i = 0; i < 40_000; i++) {
            perShard[Shard.of("customer-" + i, 4)]++;
        }
        assertThat(IntStream.of(perShard).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
    }

    @Test
    void inputWithoutKey_isShardZeros() {
        assertThat(IntStream.range(0, 3).filter(index -> new Shard(index, 3).ownsUnkeyed())).containsExactly(0);
    }

    @Test
    void check_namesTheProperty_whenTheIndexIsNotOneOfTheCounts() {
        assertThatThrownBy(() -> new Shard(3, 3).check()).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("ferry.shard.index: is 3").hasMessageContaining("0 to 2");
        assertThatThrownBy(() -> new Shard(-1, 3).check()).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("ferry.shard.index");
        assertThatThrownBy(() -> new Shard(0, 0).check()).isInstanceOf(ConfigurationError.class)
                .hasMessageStartingWith("ferry.shard.count");
        assertThat(new Shard(2, 3).check()).isEqualTo(new Shard(2, 3));
    }

    @Test
    void runIds_carryTheShard_onlyWhenSharded() {
        assertThat(Shard.SINGLE.runId("20250101T000000.000Z-abcd")).isEqualTo("20250101T000000.000Z-abcd");
        assertThat(new Shard(1, 3).runId("20250101T000000.000Z-abcd"))
                .isEqualTo("20250101T000000.000Z-abcd-shard-1-of-3");
    }
}

package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The seed nodes of a {@code redis-cluster://} URL. */
class ClusterConnectionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	@Test
	void everyNodeOfTheListIsASeedWithTheCommandTimeout() {
		List<RedisURI> seeds = ClusterConnections.seeds("redis-cluster://10.0.0.1:6379, 10.0.0.2:7000,redis-c:6380", TIMEOUT);
		assertThat(seeds).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "10.0.0.2", "redis-c");
		assertThat(seeds).extracting(RedisURI::getPort).containsExactly(6379, 7000, 6380);
		assertThat(seeds).extracting(RedisURI::getTimeout).containsOnly(TIMEOUT);
		assertThat(seeds).allSatisfy(seed -> assertThat(credentials(seed).hasPassword()).isFalse());
	}

	@Test
	void aPasswordOrAUserAndPasswordApplyToEverySeed() {
		assertThat(ClusterConnections.seeds("redis-cluster://s3cret@h1:1,h2:2", TIMEOUT))
			.allSatisfy(seed -> assertThat(credentials(seed).getPassword()).isEqualTo("s3cret".toCharArray()));
		List<RedisURI> withUser = ClusterConnections.seeds("redis-cluster://gateway:p@ss@h1:1", TIMEOUT);
		assertThat(credentials(withUser.get(0)).getUsername()).isEqualTo("gateway");
		assertThat(credentials(withUser.get(0)).getPassword()).isEqualTo("p@ss".toCharArray());
	}

	private static RedisCredentials credentials(RedisURI seed) {
		return seed.getCredentialsProvider().resolveCredentials().block(TIMEOUT);
	}

	@Test
	void aNodeWithoutAPortIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterConnections.seeds("redis-cluster://h1:6379,h2", TIMEOUT))
			.withMessageContaining("'h2'");
	}

	@Test
	void onlyTheClusterSchemeIsACluster() {
		assertThat(RedisConnections.isCluster("redis-cluster://h:1")).isTrue();
		assertThat(RedisConnections.isCluster("redis://h:1")).isFalse();
		assertThat(RedisConnections.isCluster("redis-sentinel://h:26379#m")).isFalse();
	}

}

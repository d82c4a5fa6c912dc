package io.eventgateway.gateway.store;

import java.time.Duration;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.persistence.MigrationDataSource;
import io.eventgateway.persistence.StoreConnections;
import io.eventgateway.persistence.StoreMigrations;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connections to PostgreSQL: migrations reach it as safely as the store does, no message quotes a
 * password, and the server ends what a dead instance left open.
 */
class MigrationConnectionIntegrationTests {

	private String database;

	@BeforeEach
	void createDatabase() {
		this.database = ExternalServices.createDatabase();
	}

	@AfterEach
	void dropDatabase() {
		ExternalServices.dropDatabase(this.database);
	}

	private String url(String query) {
		return ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), this.database) + query;
	}

	@Test
	void theStoreUrlsTlsSettingsAreKeptByTheMigrationConnection() {
		// A root certificate that does not exist: whether or not the server speaks TLS, a migration that
		// keeps verify-full cannot connect. One that dropped the setting would migrate in plain text.
		assertThatThrownBy(() -> StoreMigrations.migrate(url("?sslMode=verify-full&sslRootCert=/nonexistent/root.crt")))
			.isNotNull();
		StoreMigrations.migrate(url("?sslMode=disable"));
	}

	@Test
	void theJdbcSettingsFollowTheR2dbcOnes() {
		MigrationDataSource verified = StoreConnections.migrationDataSource("r2dbc:postgresql://app:s3cret-pass@db.internal:6432/gw"
				+ "?sslMode=VERIFY_FULL&sslRootCert=/etc/ssl/root.crt&sslCert=/etc/ssl/app.crt&sslKey=/etc/ssl/app.key"
				+ "&sslPassword=k3y-pass&applicationName=gateway&schema=events&connectTimeout=PT7S");
		assertThat(verified.property("sslmode")).isEqualTo("verify-full");
		assertThat(verified.property("sslrootcert")).isEqualTo("/etc/ssl/root.crt");
		assertThat(verified.property("sslcert")).isEqualTo("/etc/ssl/app.crt");
		assertThat(verified.property("sslkey")).isEqualTo("/etc/ssl/app.key");
		assertThat(verified.property("sslpassword")).isEqualTo("k3y-pass");
		assertThat(verified.property("ApplicationName")).isEqualTo("gateway");
		assertThat(verified.property("currentSchema")).isEqualTo("events");
		assertThat(verified.property("connectTimeout")).isEqualTo("7");
		assertThat(verified.property("user")).isEqualTo("app");
		assertThat(verified.url()).as("what a driver or Flyway quotes names no secret")
			.isEqualTo("jdbc:postgresql://db.internal:6432/gw");
		assertThat(StoreConnections.migrationDataSource("r2dbcs:postgresql://db/gw").property("sslmode"))
			.as("r2dbcs: is TLS with verification").isEqualTo("verify-full");
		assertThat(StoreConnections.migrationDataSource("r2dbc:postgresql://db/gw").property("sslmode"))
			.as("as the R2DBC driver: no TLS unless asked").isEqualTo("disable");
	}

	@Test
	void aTransactionLeftOpenByADeadInstanceIsEndedByTheServer() {
		ConnectionPool pool = StoreConnections.pool(url(""), 1, 2, Duration.ofSeconds(5), Duration.ofSeconds(3));
		try {
			String setting = DatabaseClient.create(pool).sql("SHOW idle_in_transaction_session_timeout")
				.map(row -> row.get(0, String.class)).one().block(Duration.ofSeconds(10));
			assertThat(setting).as("twice the statement timeout").isEqualTo("6s");
		}
		finally {
			pool.dispose();
		}
	}

	@Test
	void noMessageQuotesThePassword() {
		String unreachable = "r2dbc:postgresql://app:s3cret-pass@127.0.0.1:1/gw?connectTimeout=PT2S";
		assertThatThrownBy(() -> StoreMigrations.migrate(unreachable)).satisfies(failure -> {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				assertThat(String.valueOf(cause.getMessage())).doesNotContain("s3cret");
			}
		});
		assertThatThrownBy(() -> StoreConnections.migrationDataSource("r2dbc:mysql://app:s3cret-pass@db/gw"))
			.hasMessageContaining("unsupported database driver 'mysql'").hasMessageNotContaining("s3cret");
		assertThat(StoreConnections.describe("r2dbc:postgresql://app:s3cret-pass@db:5432/gw?sslPassword=k3y"))
			.isEqualTo("postgresql://db:5432/gw");
	}

}

package io.eventgateway.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * Connections from one JDBC driver to one URL, with the credentials and TLS settings passed as
 * properties beside the URL rather than in it: what a driver or Flyway quotes (the URL) names no
 * secret.
 */
public final class MigrationDataSource implements DataSource {

	private final Driver driver;

	private final String url;

	private final Properties properties;

	MigrationDataSource(Driver driver, String url, Properties properties) {
		this.driver = driver;
		this.url = url;
		this.properties = properties;
	}

	/** The JDBC URL, which holds no credential. */
	public String url() {
		return this.url;
	}

	/** The driver property of this name, such as {@code sslmode}. */
	public String property(String name) {
		return this.properties.getProperty(name);
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection = this.driver.connect(this.url, this.properties);
		if (connection == null) {
			throw new SQLException("the JDBC driver does not accept " + this.url);
		}
		return connection;
	}

	@Override
	public Connection getConnection(String user, String password) throws SQLException {
		throw new SQLFeatureNotSupportedException("the credentials come from the store URL");
	}

	@Override
	public PrintWriter getLogWriter() {
		return null;
	}

	@Override
	public void setLogWriter(PrintWriter out) {
	}

	@Override
	public void setLoginTimeout(int seconds) {
	}

	@Override
	public int getLoginTimeout() {
		return 0;
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

	@Override
	public <T> T unwrap(Class<T> type) throws SQLException {
		if (type.isInstance(this)) {
			return type.cast(this);
		}
		throw new SQLException("not a wrapper of " + type.getName());
	}

	@Override
	public boolean isWrapperFor(Class<?> type) {
		return type.isInstance(this);
	}

}

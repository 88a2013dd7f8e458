package io.jdqlite.jdbc;

import io.jdqlite.client.ClientConfig;

import io.jdqlite.client.DqliteClient;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/** The JDBC driver: {@code jdbc:dqlite://host1:9001,host2:9001/dbname?options}; registered via ServiceLoader. */
public final class DqliteDriver implements Driver {
    static {
        try {
            DriverManager.registerDriver(new DqliteDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: another driver's URL
        }
        JdbcUrl u = JdbcUrl.parse(url, info);
        return JdbcConnection.open(DqliteClient.create(u.config()), u);
    }

    @Override
    public boolean acceptsURL(String url) {
        return JdbcUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[] {
                new DriverPropertyInfo("connectTimeout", "5s"),
                new DriverPropertyInfo("requestTimeout", "30s"),
                new DriverPropertyInfo("leaderSearchTimeout", "15s"),
                new DriverPropertyInfo("interruptTimeout", "5s"),
                new DriverPropertyInfo("maxMessageSize", Integer.toString(ClientConfig.DEFAULT_MAX_MESSAGE_SIZE))};
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("dqlite JDBC: java.util.logging is not used");
    }
}

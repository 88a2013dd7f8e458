package io.jdqlite.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * Base of the driver's JDBC objects. JDBC interfaces have hundreds of methods; each object implements the
 * ones dqlite supports in {@link #call} and every other call fails with SQLFeatureNotSupportedException
 * naming the method, never silently doing nothing.
 */
abstract class JdbcProxy implements InvocationHandler {
    /** Calls that must not wait for a request running on the connection: abort() ends it, cancel() interrupts it. */
    private static final java.util.Set<String> UNSYNCHRONIZED = java.util.Set.of("abort", "cancel");
    /** Returned by {@link #call} for a method this object does not support. */
    static final Object UNSUPPORTED = new Object();
    private final Class<?> type;

    JdbcProxy(Class<?> type) {
        this.type = type;
    }

    @SuppressWarnings("unchecked")
    <T> T proxy() {
        return (T) Proxy.newProxyInstance(JdbcProxy.class.getClassLoader(), new Class<?>[] {type}, this);
    }

    /** What calls synchronize on: the connection the object belongs to, which carries one request at a time. */
    Object monitor() {
        return this;
    }

    /** Handles a call; {@code a} is never null. */
    abstract Object call(Object self, String name, Object[] a) throws SQLException;

    @Override
    public final Object invoke(Object self, Method m, Object[] args) throws Throwable {
        Object[] a = args == null ? new Object[0] : args;
        String name = m.getName();
        if (m.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> self == a[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(self));
            };
        }
        if (name.equals("isWrapperFor") && a.length == 1) {
            return ((Class<?>) a[0]).isInstance(self);
        }
        if (name.equals("unwrap") && a.length == 1) {
            if (((Class<?>) a[0]).isInstance(self)) {
                return self;
            }
            throw new SQLException("not a wrapper for " + a[0]);
        }
        Object r;
        try {
            if (UNSYNCHRONIZED.contains(name)) {
                r = call(self, name, a); // meant to reach a connection busy in another thread
            } else {
                synchronized (monitor()) {
                    r = call(self, name, a);
                }
            }
        } catch (RuntimeException e) {
            throw new SQLException(e.getMessage(), e);
        }
        if (r == UNSUPPORTED) {
            throw new SQLFeatureNotSupportedException("dqlite JDBC: " + type.getSimpleName() + "." + name
                    + "(" + a.length + " args) is not supported");
        }
        if (r == null && m.getReturnType().isPrimitive() && m.getReturnType() != void.class) {
            throw new IllegalStateException("no value for " + m);
        }
        return r;
    }

    static SQLException unwrap(InvocationTargetException e) {
        return e.getCause() instanceof SQLException s ? s : new SQLException(e.getCause());
    }
}

package io.jdqlite.node.health;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * Threads of this process deadlocked on monitors or locks, as a report naming each with what it waits for,
 * what holds that, and its stack: a node whose Raft or database threads deadlock answers on its ports but
 * serves nothing, and the report is what fixing the cause needs.
 */
final class Deadlocks {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Deadlocks() {
    }

    /** The report, or empty when no threads are deadlocked. */
    static Optional<String> find() {
        long[] ids = THREADS.findDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return Optional.empty();
        }
        StringBuilder report = new StringBuilder(ids.length + " threads deadlocked:");
        for (ThreadInfo t : THREADS.getThreadInfo(ids, true, true)) {
            if (t == null) {
                continue; // ended meanwhile
            }
            report.append("\n\"").append(t.getThreadName()).append("\" waits for ").append(t.getLockName())
                    .append(" held by \"").append(t.getLockOwnerName()).append('"');
            for (StackTraceElement frame : t.getStackTrace()) {
                report.append("\n    at ").append(frame);
            }
            for (LockInfo held : t.getLockedSynchronizers()) {
                report.append("\n    holds ").append(held);
            }
            for (LockInfo held : t.getLockedMonitors()) {
                report.append("\n    holds ").append(held);
            }
        }
        return Optional.of(report.toString());
    }
}

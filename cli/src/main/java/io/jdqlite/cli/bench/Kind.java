package io.jdqlite.cli.bench;

/** What an operation was, for the per-kind figures. */
enum Kind {
    WRITE, READ
}

package io.jdqlite.cli.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.nio.file.Path;

/**
 * The interactive loop on a terminal: JLine line editing and a history file, statements collected until
 * their ';', Ctrl-D or .quit leaves. Ctrl-C while a statement runs stops it ("Error: interrupted", as
 * sqlite3) and the session goes on; at the prompt it drops what is being typed; at an empty prompt it says how
 * to leave, and a second Ctrl-C in a row leaves.
 */
public final class InteractiveSession {
    static final String LEAVE_HINT = "(To leave, press Ctrl-C again, Ctrl-D, or type .quit)";
    private final Shell shell;
    private final String database;

    public InteractiveSession(Shell shell, String database) {
        this.shell = shell;
        this.database = database;
    }

    /** Runs until end of input or .quit; returns the exit status. */
    public int run(Terminal terminal, Path historyFile, String banner) {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
        StatementBuffer buffer = new StatementBuffer();
        terminal.writer().println(banner);
        terminal.flush();
        // Outside readLine (which turns Ctrl-C into UserInterruptException), Ctrl-C means a statement runs.
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> interruptShell());
        boolean hinted = false;
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(buffer.isEmpty() ? database + "> " : "   ...> ");
                } catch (UserInterruptException e) {
                    boolean empty = buffer.isEmpty() && e.getPartialLine().isBlank();
                    buffer.drain();
                    if (!empty) {
                        hinted = false;
                        continue;
                    }
                    if (hinted) {
                        return 0;
                    }
                    hinted = true;
                    terminal.writer().println(LEAVE_HINT);
                    terminal.flush();
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                hinted = false;
                String input = buffer.add(line);
                if (input == null) {
                    continue;
                }
                if (Shell.isQuit(input)) {
                    return 0;
                }
                shell.run(input);
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (java.io.IOException e) {
                terminal.writer().println("could not save the history to " + historyFile + ": " + e.getMessage());
            }
        }
    }

    /**
     * Stops the running statement from its own thread: waiting for the node's confirmation must hold up neither
     * the signal's thread nor the terminal's input.
     */
    private void interruptShell() {
        Thread t = new Thread(shell::interrupt, "jdqlite-shell-interrupt");
        t.setDaemon(true);
        t.start();
    }
}

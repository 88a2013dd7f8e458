package io.jdqlite.cli.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.nio.file.Path;

/**
 * The interactive loop on a terminal: JLine line editing and a history file, statements collected until
 * their ';', Ctrl-C drops the statement being typed, Ctrl-D or .quit leaves.
 */
public final class InteractiveSession {
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
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(buffer.isEmpty() ? database + "> " : "   ...> ");
                } catch (UserInterruptException e) {
                    buffer.drain();
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
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
            try {
                reader.getHistory().save();
            } catch (java.io.IOException e) {
                terminal.writer().println("could not save the history to " + historyFile + ": " + e.getMessage());
            }
        }
    }
}

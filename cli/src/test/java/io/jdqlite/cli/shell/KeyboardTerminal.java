package io.jdqlite.cli.shell;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * An xterm-like JLine terminal on pipes, for driving an {@link InteractiveSession}: keys go in as a terminal
 * sends them (Enter is CR, Ctrl-C is ETX, which the line discipline turns into the INT signal, as a real
 * terminal's does), each once the prompt it answers is on the screen.
 */
final class KeyboardTerminal implements AutoCloseable {
    private static final Pattern ANSI = Pattern.compile("\u001B(\\[[?0-9;]*[a-zA-Z]|[=>])");
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final Terminal terminal;
    private int seen;

    KeyboardTerminal() throws IOException {
        PipedInputStream keys = new PipedInputStream(keyboard, 1 << 16);
        // JLine's own line discipline, not a pty's: the kernel would send the pty's SIGINT to no process
        terminal = new ExternalTerminal("keyboard", "xterm", keys, screen, StandardCharsets.UTF_8);
        terminal.setSize(new Size(120, 40));
    }

    Terminal terminal() {
        return terminal;
    }

    /** What the screen shows so far, without the terminal's control sequences. */
    String text() {
        return ANSI.matcher(screen.toString(StandardCharsets.UTF_8)).replaceAll("");
    }

    /** Waits until the screen grew and ends with {@code prompt}, then sends {@code keys}. */
    void typeAfterPrompt(String prompt, String keys) throws IOException {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                String text = text();
                return text.length() > seen && text.endsWith(prompt);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no '" + prompt + "' prompt before typing " + keys.replace("\033", "<ESC>")
                    + "; screen:\n" + screen.toString(StandardCharsets.UTF_8).replace("\033", "<ESC>"), e);
        }
        seen = text().length();
        type(keys);
    }

    /** Sends {@code keys} now. */
    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}

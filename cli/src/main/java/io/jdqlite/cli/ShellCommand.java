package io.jdqlite.cli;

import io.jdqlite.cli.shell.InteractiveSession;
import io.jdqlite.cli.shell.OutputFormat;
import io.jdqlite.cli.shell.Shell;
import io.jdqlite.cli.shell.StatementBuffer;
import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jdqlite shell}: an SQL shell for any dqlite-protocol cluster. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Interactive SQL shell (line editing, history in ~/.jdqlite_history), or runs the given",
                "statements, or statements read from stdin when it is not a terminal. Type .help for commands."})
final class ShellCommand implements Callable<Integer> {
    @Option(names = {"-s", "--servers"}, required = true, split = ",", description = "Node addresses host:port (any or all).")
    List<String> servers;

    @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-c", "--cert"}, description = "PEM certificate for TLS (with --key); peers are trusted when they present it or one it signed.")
    Path cert;

    @Option(names = {"-k", "--key"}, description = "PEM private key of --cert (RSA, EC or PKCS#8, unencrypted).")
    Path key;

    @Parameters(index = "0", description = "Database name.")
    String database;

    @Parameters(index = "1..*", description = "Statements or dot-commands to run instead of a session.")
    List<String> statements = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        OutputFormat fmt;
        DqliteClient client;
        try {
            fmt = OutputFormat.parse(format);
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("--cert and --key go together");
            }
            ClientConfig.Builder config = ClientConfig.builder().addresses(servers);
            if (cert != null) {
                config.sslContext(PemTls.context(cert, key));
            }
            client = DqliteClient.create(config.build());
        } catch (IllegalArgumentException e) {
            System.err.println("jdqlite shell: " + e.getMessage());
            return 2;
        }
        try (Shell shell = new Shell(client, database, fmt, System.out, System.err)) {
            if (!statements.isEmpty()) {
                boolean ok = true;
                for (String s : statements) {
                    ok &= shell.run(s);
                }
                return ok ? 0 : 1;
            }
            if (System.console() == null) {
                return fromStdin(shell);
            }
            return interactive(shell);
        }
    }

    private static int fromStdin(Shell shell) throws Exception {
        StatementBuffer buffer = new StatementBuffer();
        boolean ok = true;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String input = buffer.add(line);
            if (input != null) {
                if (Shell.isQuit(input)) {
                    return ok ? 0 : 1;
                }
                ok &= shell.run(input);
            }
        }
        String rest = buffer.drain();
        if (rest != null) {
            ok &= shell.run(rest);
        }
        return ok ? 0 : 1;
    }

    private int interactive(Shell shell) throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return new InteractiveSession(shell, database).run(terminal,
                    Path.of(System.getProperty("user.home"), ".jdqlite_history"),
                    "jdqlite shell on " + String.join(",", servers) + ", database " + database
                            + ". Statements end with ';'. .help for commands, .quit to leave.");
        }
    }
}

package io.jdqlite.cli;

import io.jdqlite.cli.shell.OutputFormat;
import io.jdqlite.cli.shell.Shell;
import io.jdqlite.client.ClientConfig;
import io.jdqlite.client.DqliteClient;
import io.jdqlite.client.DqliteException;
import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.node.gateway.DqliteServer;
import io.jdqlite.node.gateway.NodeMetadata;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shell's TLS options: a one-node jdqlite cluster whose advertised address is a TLS front (mutual TLS,
 * the shared-certificate model of dqlite) relaying to its plain dqlite port (ports 23700-23702).
 */
class PemTlsTest {
    private static final int FRONT_PORT = 23700;
    private static final String FRONT = "127.0.0.1:" + FRONT_PORT;
    @TempDir
    static Path tmp;
    static Engine engine;
    static DqliteServer server;
    static ServerSocket front;

    @BeforeAll
    static void start() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        writePem(tmp.resolve("cluster.crt"), selfSigned(ec, "SHA256withECDSA"));
        writePem(tmp.resolve("cluster-sec1.key"), sec1(ec));                                     // EC PRIVATE KEY
        writePem(tmp.resolve("cluster-pkcs8.key"), new JcaPKCS8Generator(ec.getPrivate(), null).generate()); // PRIVATE KEY
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        writePem(tmp.resolve("stranger.crt"), selfSigned(rsa, "SHA256withRSA"));
        writePem(tmp.resolve("stranger.key"), rsa.getPrivate());                                 // RSA PRIVATE KEY

        Member self = new Member(1, FRONT, "127.0.0.1:23702", Role.VOTER);
        engine = Engine.start(EngineConfig.builder().nodeId(1).dataDir(tmp.resolve("node")).address(FRONT)
                .raftAddress(self.raftAddress()).initialMembers(List.of(self)).build());
        server = new DqliteServer(engine, new NodeMetadata(0, 0), 64 << 20);
        server.start("127.0.0.1", 23701);
        await().atMost(Duration.ofSeconds(30)).until(engine::isLeader);
        front = tlsFront(PemTls.context(tmp.resolve("cluster.crt"), tmp.resolve("cluster-sec1.key")), 23701);
    }

    @AfterAll
    static void stop() throws IOException {
        if (front != null) {
            front.close();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theShellTalksTlsWithTheClustersCertificateInEitherKeyFormat() throws Exception {
        for (String key : List.of("cluster-sec1.key", "cluster-pkcs8.key")) {
            SSLContext tls = PemTls.context(tmp.resolve("cluster.crt"), tmp.resolve(key));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Shell shell = new Shell(client(tls), "secure", OutputFormat.CSV,
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err)) {
                assertThat(shell.run("CREATE TABLE IF NOT EXISTS t (k TEXT)")).isTrue();
                assertThat(shell.run("INSERT INTO t VALUES ('" + key + "')")).isTrue();
                assertThat(shell.run("SELECT k FROM t WHERE k = '" + key + "'")).isTrue();
                assertThat(shell.run(".leader")).isTrue();
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("k\n" + key + "\n" + FRONT + "\n");
        }
    }

    @Test
    void aCertificateTheClusterDoesNotKnowIsRefused() {
        SSLContext stranger = PemTls.context(tmp.resolve("stranger.crt"), tmp.resolve("stranger.key"));
        assertThatThrownBy(() -> client(stranger).leader()).isInstanceOf(DqliteException.class)
                .hasMessageContaining("cannot connect to " + FRONT);
        SSLContext none = null;
        assertThatThrownBy(() -> client(none).leader()).isInstanceOf(DqliteException.class);
    }

    @Test
    void badTlsOptionsAreRefusedWithTheFileAndTheReason() {
        assertThatThrownBy(() -> PemTls.context(tmp.resolve("cluster.crt"), tmp.resolve("cluster.crt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no unencrypted PEM private key in");
        assertThatThrownBy(() -> PemTls.context(tmp.resolve("cluster-sec1.key"), tmp.resolve("cluster-sec1.key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster-sec1.key");
        assertThatThrownBy(() -> PemTls.context(tmp.resolve("cluster.crt"), tmp.resolve("stranger.key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> PemTls.context(tmp.resolve("missing.crt"), tmp.resolve("stranger.key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.crt");

        StringWriter err = new StringWriter();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = new CommandLine(new Main());
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute("shell", "-s", FRONT, "--cert", tmp.resolve("cluster.crt").toString(), "db", "SELECT 1"))
                    .isEqualTo(2);
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--cert and --key go together");
    }

    private static DqliteClient client(SSLContext tls) {
        return DqliteClient.create(ClientConfig.builder().addresses(List.of(FRONT)).sslContext(tls)
                .leaderSearchTimeout(Duration.ofSeconds(2)).build());
    }

    private static X509Certificate selfSigned(KeyPair keys, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=dqlite");
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }

    /** The key as OpenSSL writes an EC key: SEC1 with the curve named inside. */
    private static PemObject sec1(KeyPair ec) throws IOException {
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) ec.getPrivate();
        ECPrivateKey withCurve = new ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                pkcs8.getPrivateKeyAlgorithm().getParameters());
        return new PemObject("EC PRIVATE KEY", withCurve.getEncoded());
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            w.writeObject(object);
        }
    }

    /** Accepts mutual-TLS connections and relays each to the plain dqlite port. */
    private static ServerSocket tlsFront(SSLContext tls, int backendPort) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        socket.setNeedClientAuth(true);
        socket.bind(new InetSocketAddress("127.0.0.1", FRONT_PORT));
        daemon(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket backend = new Socket("127.0.0.1", backendPort);
                    relay(client.getInputStream(), backend.getOutputStream(), client, backend);
                    relay(backend.getInputStream(), client.getOutputStream(), client, backend);
                } catch (IOException e) {
                    // closed at the end of the test, or a refused handshake: next connection
                }
            }
        });
        return socket;
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "tls-front");
        t.setDaemon(true);
        t.start();
    }

    private static void relay(InputStream from, OutputStream to, Socket a, Socket b) {
        daemon(() -> {
            try (a; b) {
                from.transferTo(to);
            } catch (IOException e) {
                // one side closed: both go
            }
        });
    }
}

package kg.neo4jtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.Version;

/**
 * The real Neo4j Community engine, embedded, serving Bolt on 127.0.0.1 for kg's tests.
 *
 * <pre>
 * java -cp target/neo4j-test.jar:$(cat target/classpath.txt) kg.neo4jtest.Launcher \
 *      --home DIR [--port N] [--password PW] [--page-cache 256m] [--stop-on-stdin-eof]
 * </pre>
 *
 * <ul>
 *   <li>{@code --home}: the database folder (created if missing; reused on a restart);</li>
 *   <li>{@code --port}: the Bolt port; 0 (the default) picks a free one;</li>
 *   <li>{@code --password}: the password of the user {@code neo4j} (authentication is on);</li>
 *   <li>{@code --stop-on-stdin-eof}: stop when standard input closes (the parent died or said so).</li>
 * </ul>
 *
 * When the engine is ready it prints one line {@code KG_NEO4J_READY bolt://127.0.0.1:PORT VERSION}.
 * SIGTERM, Ctrl-C or the end of standard input shut the engine down cleanly.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 0;
        String password = "kgpassword";
        String pageCache = "256m";
        boolean stopOnEof = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--password" -> password = args[++i];
                case "--page-cache" -> pageCache = args[++i];
                case "--stop-on-stdin-eof" -> stopOnEof = true;
                default -> fail("unknown argument " + args[i]
                        + "; expected --home DIR [--port N] [--password PW] [--page-cache SIZE] [--stop-on-stdin-eof]");
            }
        }
        if (home == null) {
            fail("--home DIR is required (the database folder)");
        }
        if (password.length() < 8) {
            fail("--password must have at least 8 characters (Neo4j 5's minimum)");
        }
        Files.createDirectories(home);
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                // a stop waits 1 s (not 5 s) for open Bolt connections: the tests stop and start it often
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "kg-neo4j-shutdown"));

        setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");

        System.out.println("KG_NEO4J_READY bolt://127.0.0.1:" + port + " " + Version.getNeo4jVersion());
        System.out.flush();

        if (stopOnEof) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().equals("stop")) {
                    break;
                }
            }
            System.exit(0); // runs the shutdown hook
        } else {
            Thread.currentThread().join();
        }
    }

    /** Sets the password of {@code neo4j}; a restart on the same folder finds it already set. */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static void fail(String message) {
        System.err.println("neo4j-test: " + message);
        System.exit(2);
    }
}

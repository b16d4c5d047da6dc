import java.net.BindException;
import java.net.InetSocketAddress;
import org.eclipse.jetty.server.Server;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * DynamoDB Local on one address. Its own entry point (`-jar DynamoDBLocal.jar`) takes no host: it builds
 * Jetty's Server(port), which listens on every interface, so this starts the same request handler
 * behind a Jetty server bound to the address given. Run by local/dynamodb-local.ts with Java's
 * single-file source launcher and the jar on the class path:
 *
 *   java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* DynamoDbLocalServer.java -host H -port P [-dbPath D]
 *
 * Always one shared database (the jar's -sharedDb), in memory unless -dbPath names its directory.
 * Exits with BIND_FAILED when the port is taken, so the caller can tell that from a launcher that
 * cannot run at all (a JRE without the compiler, a DynamoDB Local whose internals changed).
 */
public class DynamoDbLocalServer {
  static final int BIND_FAILED = 98;

  public static void main(String[] args) throws Exception {
    String host = null;
    String dbPath = null;
    int port = -1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "-host" -> host = args[i + 1];
        case "-port" -> port = Integer.parseInt(args[i + 1]);
        case "-dbPath" -> dbPath = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (host == null || port < 1) throw new IllegalArgumentException("usage: -host <address> -port <port> [-dbPath <directory>]");

    boolean inMemory = dbPath == null;
    boolean sharedDb = true;
    boolean delayTransientStatuses = false;
    var requests = new LocalDynamoDBRequestHandler(port, inMemory, dbPath, sharedDb, delayTransientStatuses);
    var handler = new LocalDynamoDBServerHandler(requests, null);
    // Only for its handler tree: this server is never started, so it never binds.
    var unbound = new DynamoDBProxyServer(port, handler);
    var server = new Server(new InetSocketAddress(host, port));
    server.setHandler(unbound.setUpHandler(handler));
    try {
      server.start();
    } catch (Exception e) {
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        System.err.println("DynamoDB Local: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        System.exit(BIND_FAILED);
      }
      throw e;
    }
    server.join();
  }
}

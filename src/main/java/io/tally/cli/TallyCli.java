package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code tally}: the questions the docker CLI cannot ask tallyd — what happened to a container, who
 * did it, and what things looked like at a moment in the past. Talks to tallyd's unix socket.
 */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = TallyCli.Version.class,
        description = {"Asks tallyd what happened: histories with their actors, containers as they were, read models.",
                "For everything else use the docker CLI with DOCKER_HOST set to tallyd's socket."},
        subcommands = {TallyCli.Ps.class, TallyCli.History.class, TallyCli.Inspect.class, TallyCli.Projections.class})
public final class TallyCli {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-H", "--host"}, paramLabel = "unix://PATH",
            defaultValue = "${env:TALLY_HOST:-${env:DOCKER_HOST:-unix:///run/tally/tally.sock}}",
            description = "tallyd's socket (default: $TALLY_HOST, else $DOCKER_HOST, else ${DEFAULT-VALUE})")
    String host;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TallyCli());
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof TallyApiClient.ApiError api) {
                err.println("tally: " + api.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    TallyApiClient api() throws TallyApiClient.ApiError {
        return new TallyApiClient(host);
    }

    /** `ps` as `docker ps -a` would have shown it then: from the temporal read model. */
    @Command(name = "ps", mixinStandardHelpOptions = true,
            description = "Lists every container (as docker ps -a does) now, or as they were at a moment (--at).")
    static final class Ps implements Callable<Integer> {
        @CommandLine.ParentCommand TallyCli parent;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--at", paramLabel = "T", description = "RFC 3339 time, Unix seconds, a duration ago (10m) or seq:N")
        String at;

        @Option(names = {"-q", "--quiet"}, description = "Only the container ids")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            JsonNode list = parent.api().get("/tally/v1/containers" + (at == null ? "" : "?at=" + TallyApiClient.encode(at)));
            PrintWriter out = spec.commandLine().getOut();
            Tables.printContainers(list, quiet, out);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every event of a container (or, with --image, an image), in order, with who caused it.")
    static final class History implements Callable<Integer> {
        @CommandLine.ParentCommand TallyCli parent;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME|ID", description = "the container (a removed one by its full id)")
        String target;

        @Option(names = "--image", description = "the argument names an image")
        boolean image;

        @Option(names = "--json", description = "the events as tallyd gives them, payloads and all actor fields")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String kind = image ? "images" : "containers";
            JsonNode events = parent.api().get("/tally/v1/" + kind + "/" + TallyApiClient.encode(target) + "/history");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(events));
            } else {
                Tables.printHistory(events, out);
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "A container in docker inspect's shape, now or as it was at a moment (--at).")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.ParentCommand TallyCli parent;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME|ID")
        String target;

        @Option(names = "--at", paramLabel = "T", description = "RFC 3339 time, Unix seconds, a duration ago (10m) or seq:N")
        String at;

        @Override
        public Integer call() throws Exception {
            JsonNode c = parent.api().get("/tally/v1/containers/" + TallyApiClient.encode(target)
                    + (at == null ? "" : "?at=" + TallyApiClient.encode(at)));
            spec.commandLine().getOut().println(JSON.writeValueAsString(c));
            return 0;
        }
    }

    @Command(name = "projections", mixinStandardHelpOptions = true, description = "The read models with their position and lag; replay one, or show its digest.")
    static final class Projections implements Callable<Integer> {
        @CommandLine.ParentCommand TallyCli parent;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "replay|digest", description = "what to do with NAME")
        String action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (action == null) {
                Tables.printProjections(parent.api().get("/tally/v1/projections"), out);
                return 0;
            }
            if (name == null || !(action.equals("replay") || action.equals("digest"))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "usage: tally projections [replay|digest NAME]");
            }
            String path = "/tally/v1/projections/" + TallyApiClient.encode(name) + "/" + action;
            JsonNode r = action.equals("replay") ? parent.api().post(path) : parent.api().get(path);
            out.println(JSON.writeValueAsString(r));
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tally " + io.tally.daemon.TallyVersion.version()};
        }
    }
}

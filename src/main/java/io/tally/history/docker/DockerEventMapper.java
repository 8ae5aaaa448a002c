package io.tally.history.docker;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerKilled;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerFilesExtracted;
import io.tally.container.api.ContainerHealthChanged;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerStopped;
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.api.ContainerUpdated;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.container.api.ExecStarted;
import io.tally.container.api.StartContainer;
import io.tally.engine.api.EngineCrashDetected;
import io.tally.engine.api.EngineStarted;
import io.tally.engine.api.EngineStopped;
import io.tally.history.StoredEvent;
import io.tally.image.ImageReference;
import io.tally.image.InvalidReferenceException;
import io.tally.image.api.ImageDeleted;
import io.tally.image.api.ImageImported;
import io.tally.image.api.ImageLoaded;
import io.tally.image.api.ImageTagged;
import io.tally.image.api.ImageUntagged;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Tally's events as Docker's event messages (docs/api.md has the table). One stored event may be
 * several Docker messages ({@code docker restart} is start then restart) or none (a scheduled
 * restart is Tally's own bookkeeping). {@code facts} must already include the event.
 */
final class DockerEventMapper {
    private DockerEventMapper() {
    }

    static List<DockerEvent> map(StoredEvent e, AggregateFacts facts) {
        return switch (e.payload()) {
            case ContainerCreated c -> container(e, facts, "create");
            case ContainerStarted s -> StartContainer.RESTART.equals(s.reason())
                    ? join(container(e, facts, "start"), container(e, facts, "restart"))
                    : container(e, facts, "start");
            // Docker reports a process that could not start as a death with the start error's exit code.
            case ContainerStartFailed f -> container(e, facts, "die", "exitCode", Integer.toString(f.exitCode()));
            // A stop signals the process (Docker's kill 15); after a pending restart's death nothing runs to signal.
            case ContainerStopRequested r -> facts.running ? container(e, facts, "kill", "signal", Integer.toString(r.signal())) : List.of();
            case ContainerKilled k -> container(e, facts, "kill", "signal", Integer.toString(k.signal()));
            case ContainerDied d -> d.signal() > 0
                    ? container(e, facts, "die", "exitCode", Integer.toString(d.exitCode()), "signal", Integer.toString(d.signal()))
                    : container(e, facts, "die", "exitCode", Integer.toString(d.exitCode()));
            case ContainerStopped s -> container(e, facts, "stop");
            case ContainerPaused p -> container(e, facts, "pause");
            case ContainerUnpaused u -> container(e, facts, "unpause");
            case ContainerRenamed r -> container(e, facts, "rename", "oldName", "/" + r.oldName());
            case ContainerUpdated u -> container(e, facts, "update");
            case ContainerRemoved r -> container(e, facts, "destroy");
            case ContainerFilesExtracted x -> container(e, facts, "extract-to-dir");
            case ContainerHealthChanged h -> container(e, facts, "health_status: " + h.status().word());
            case ImageImported i -> image(e, "import", i.imageId());
            case ImageLoaded l -> image(e, "load", l.imageId());
            case ImageTagged t -> image(e, "tag", familiar(t.reference()));
            case ImageUntagged u -> image(e, "untag", u.imageId());
            case ImageDeleted d -> image(e, "delete", d.imageId());
            case EngineStarted s -> daemon(e, facts, "start");
            case EngineStopped s -> daemon(e, facts, "stop");
            case EngineCrashDetected c -> daemon(e, facts, "crash");
            case ExecCreated x -> container(e, facts, "exec_create: " + String.join(" ", x.config().cmd()), "execID", x.execId());
            case ExecStarted x -> container(e, facts, "exec_start: " + facts.execCommands.getOrDefault(x.execId(), ""), "execID", x.execId());
            // as with containers, an exec that could not start is reported as a death with Docker's exit code
            case ExecStartFailed x -> container(e, facts, "exec_die", "execID", x.execId(), "exitCode", Integer.toString(x.exitCode()));
            case ExecDied x -> container(e, facts, "exec_die", "execID", x.execId(), "exitCode", Integer.toString(x.exitCode()));
            default -> List.of();
        };
    }

    private static List<DockerEvent> container(StoredEvent e, AggregateFacts facts, String action, String... extra) {
        SortedMap<String, String> attributes = new TreeMap<>(facts.labels);
        put(attributes, "image", facts.image);
        put(attributes, "name", facts.name);
        for (int i = 0; i < extra.length; i += 2) {
            attributes.put(extra[i], extra[i + 1]);
        }
        return List.of(new DockerEvent(DockerEvent.CONTAINER, action, e.aggregateId(), attributes, facts.labels, e.time()));
    }

    private static List<DockerEvent> image(StoredEvent e, String action, String name) {
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put("name", name);
        return List.of(new DockerEvent(DockerEvent.IMAGE, action, e.aggregateId(), attributes, Map.of(), e.time()));
    }

    private static List<DockerEvent> daemon(StoredEvent e, AggregateFacts facts, String action) {
        SortedMap<String, String> attributes = new TreeMap<>();
        put(attributes, "name", facts.hostname);
        return List.of(new DockerEvent(DockerEvent.DAEMON, action, e.aggregateId(), attributes, Map.of(), e.time()));
    }

    /** {@code bb:latest} for {@code docker.io/library/bb:latest}, as Docker names tags in events. */
    private static String familiar(String canonical) {
        try {
            return ImageReference.parse(canonical).familiar();
        } catch (InvalidReferenceException e) {
            return canonical;
        }
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static List<DockerEvent> join(List<DockerEvent> a, List<DockerEvent> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

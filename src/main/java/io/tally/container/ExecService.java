package io.tally.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.CreateExec;
import io.tally.container.api.ExecConfig;
import io.tally.container.api.StartExec;
import io.tally.container.query.ContainerView;
import io.tally.container.query.ExecStateWatch;
import io.tally.container.query.ExecView;
import io.tally.container.state.ContainerStatus;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.events.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** `docker exec` as the API offers it: create, start (attached or detached), resize, inspect. */
@ApplicationScoped
public class ExecService {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject Commands commands;
    @Inject ContainerService containers;
    @Inject ContainerRuntime runtime;
    @Inject ExecRuntime execs;
    @Inject ExecStateWatch watch;

    private record Size(String containerId, int rows, int cols) {
    }

    /**
     * `docker exec -it` resizes right after the upgrade, usually before the session's shim exists; the
     * size waits here and is applied between the shim's launch and the process's start.
     */
    private final Map<String, Size> pendingSizes = new HashMap<>();

    public void hookIntoRuntime() {
        runtime.beforeStart(this::applyPendingSize);
    }

    /** @return the new exec session's id */
    public String create(String containerIdOrName, Map<String, Object> body, Actor actor) {
        ContainerView c = containers.require(containerIdOrName);
        ExecConfig config = new ExecConfig(strings(body.get("Cmd")), strings(body.get("Env")), text(body.get("User")),
                text(body.get("WorkingDir")), flag(body.get("Tty")), flag(body.get("AttachStdin")),
                flag(body.get("AttachStdout")), flag(body.get("AttachStderr")), flag(body.get("Privileged")),
                text(body.get("DetachKeys")));
        String execId = ContainerNames.newId();
        commands.send(new CreateExec(c.id, execId, config), actor);
        return execId;
    }

    public ExecView require(String execId) {
        return ExecView.<ExecView>findByIdOptional(execId == null ? "" : execId)
                .orElseThrow(() -> DomainException.notFound("No such exec instance: " + execId));
    }

    /** Refuses what cannot start (unknown, already started, container not running) before a client is upgraded. */
    public ExecView requireStartable(String execId) {
        ExecView exec = require(execId);
        if (exec.started()) {
            throw DomainException.conflict("Error: Exec command " + execId + " is already running");
        }
        ContainerView c = containers.require(exec.containerId);
        if (c.state == ContainerStatus.PAUSED) {
            throw DomainException.conflict("Container " + c.name + " is paused, unpause the container before exec");
        }
        if (!c.running()) {
            throw DomainException.conflict("Container " + c.id + " is not running");
        }
        return exec;
    }

    /** Starts the process; attachers registered for the exec id are connected just before it runs. */
    public Container.StartOutcome start(String execId, boolean detach, Actor actor) {
        ExecView exec = require(execId);
        try {
            return commands.send(new StartExec(exec.containerId, execId, detach), actor);
        } finally {
            synchronized (pendingSizes) {
                pendingSizes.remove(execId);
            }
        }
    }

    /** Completes with the exit code once the session's end (or failed start) is recorded. */
    public CompletableFuture<Integer> awaitEnd(String execId) {
        return watch.await(execId);
    }

    public void forgetWaiter(String execId) {
        watch.forget(execId);
    }

    public void resize(String execId, int rows, int cols) {
        ExecView exec = require(execId);
        synchronized (pendingSizes) {
            try {
                execs.resizeExec(exec.containerId, execId, rows, cols);
            } catch (DomainException f) {
                if (f.kind() != DomainException.Kind.NOT_RUNNING) {
                    throw DomainException.invalid(f.getMessage());
                }
                if (exec.started()) {
                    throw DomainException.conflict("Exec " + execId + " is not running");
                }
                pendingSizes.put(execId, new Size(exec.containerId, rows, cols));
            }
        }
    }

    public ExecConfig config(ExecView exec) {
        try {
            return JSON.readValue(exec.config, ExecConfig.class);
        } catch (IOException e) {
            throw new DomainException(DomainException.Kind.FAILED, "exec " + exec.id + " has an unreadable config: " + e.getMessage(), e);
        }
    }

    private void applyPendingSize(String id, Path controlSocket) {
        synchronized (pendingSizes) {
            Size size = pendingSizes.remove(id);
            if (size == null) {
                return;
            }
            try {
                execs.resizeExec(size.containerId(), id, size.rows(), size.cols());
            } catch (DomainException f) {
                // the terminal keeps its default size; the next resize from the client fixes it
            }
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String s && !s.isEmpty()) {
            return List.of(s);
        }
        return List.of();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static boolean flag(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}

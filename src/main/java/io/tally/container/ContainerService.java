package io.tally.container;

import io.tally.container.api.CreateContainer;
import io.tally.container.api.KillContainer;
import io.tally.container.api.PauseContainer;
import io.tally.container.api.RemoveContainer;
import io.tally.container.api.RenameContainer;
import io.tally.container.api.StartContainer;
import io.tally.container.api.StopContainer;
import io.tally.container.api.UnpauseContainer;
import io.tally.container.create.Config;
import io.tally.container.create.CreateRequest;
import io.tally.container.create.HostConfig;
import io.tally.container.query.ContainerStateWatch;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.image.ImageConfigBlob;
import io.tally.image.ImageReference;
import io.tally.image.ImageResolver;
import io.tally.image.query.ImageView;
import io.tally.runtime.Signals;
import io.tally.store.LayerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The container use cases as the Docker API offers them; each turns into commands on the Container aggregate. */
@ApplicationScoped
public class ContainerService {
    private static final int SIGKILL = 9;
    /** A SIGKILLed process ends at once; this bounds the wait for a process stuck in the kernel (D state). */
    private static final int KILL_EXIT_WAIT_SECONDS = 10;

    @Inject Commands commands;
    @Inject ImageResolver images;
    @Inject LayerStore layers;
    @Inject ContainerStateWatch watch;

    public ContainerView require(String idOrName) {
        return ContainerView.resolve(idOrName).orElseThrow(() -> DomainException.notFound("No such container: " + idOrName));
    }

    /**
     * @param request the body, read and checked at the edge
     * @param body    the body as the client sent it: the event keeps it so
     * @return the new container's id
     */
    public String create(String requestedName, CreateRequest request, Map<String, Object> body, Actor actor) {
        String name = requestedName == null || requestedName.isBlank() ? uniqueGeneratedName() : ContainerNames.requireValid(requestedName);
        ContainerView.byName(name).ifPresent(other -> {
            throw nameConflict(name, other.id);
        });
        String image = request.config().image();
        if (image == null || image.isBlank()) {
            throw DomainException.invalid("Config cannot be empty in order to create a container");
        }
        ImageView view = images.find(image).map(ImageResolver.Resolved::image).orElseThrow(() ->
                DomainException.notFound("No such image: " + familiar(image)));
        ImageConfigBlob imageConfig;
        List<String> lowerDirs;
        try {
            imageConfig = ImageConfigBlob.parse(view.config.getBytes(StandardCharsets.UTF_8));
            lowerDirs = layers.lowerDirs(imageConfig.config().diffIds()).stream().map(Path::toString).toList();
        } catch (IOException e) {
            throw new DomainException(DomainException.Kind.FAILED, "image " + view.id + " is damaged: " + e.getMessage(), e);
        }
        String id = ContainerNames.newId();
        Map<String, Object> config = ContainerConfigs.merge(request.config(), body, imageConfig.config(), image, id);
        @SuppressWarnings("unchecked")
        Map<String, Object> hostConfig = body.get("HostConfig") instanceof Map<?, ?> hc ? (Map<String, Object>) hc : Map.of();
        try {
            commands.send(new CreateContainer(id, name, image, view.id, config, hostConfig, lowerDirs), actor);
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw nameConflict(name, ContainerView.byName(name).map(v -> v.id).orElse("?"));
            }
            throw e;
        }
        return id;
    }

    /** @return null when it started (or already ran: then {@link DomainException.Kind#NOT_MODIFIED}) */
    public Container.StartOutcome start(String idOrName, Actor actor) {
        ContainerView c = require(idOrName);
        return commands.send(new StartContainer(c.id, StartContainer.USER), actor);
    }

    /** Signal (the container's StopSignal, else TERM), wait up to {@code timeout} seconds, then SIGKILL. */
    public void stop(String idOrName, Integer timeoutSeconds, Actor actor) {
        ContainerView c = require(idOrName);
        int timeout = timeoutSeconds != null ? timeoutSeconds : stopTimeout(c);
        CompletableFuture<Integer> exited = watch.await(c.id, ContainerStateWatch.Condition.NEXT_EXIT);
        try {
            boolean signalled = commands.send(new StopContainer(c.id, stopSignal(c), timeout), actor);
            if (signalled && !awaitQuietly(exited, timeout < 0 ? Long.MAX_VALUE : timeout)) {
                commands.send(new KillContainer(c.id, 9), actor);
                awaitQuietly(exited, 30);
            }
        } finally {
            watch.forget(c.id, exited);
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds, Actor actor) {
        ContainerView c = require(idOrName);
        if (c.running()) {
            stop(c.id, timeoutSeconds, actor);
        }
        Container.StartOutcome outcome = commands.send(new StartContainer(c.id, StartContainer.RESTART), actor);
        if (!outcome.started()) {
            throw DomainException.invalid(outcome.error());
        }
    }

    public void kill(String idOrName, String signal, Actor actor) {
        ContainerView c = require(idOrName);
        int number;
        try {
            number = signal == null || signal.isBlank() ? 9 : Signals.parse(signal);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(e.getMessage());
        }
        if (number != SIGKILL) {
            commands.send(new KillContainer(c.id, number), actor);
            return;
        }
        // Docker answers a SIGKILL only once the process is gone, so a client's inspect or remove that
        // follows sees the container exited, not still running.
        CompletableFuture<Integer> exited = watch.await(c.id, ContainerStateWatch.Condition.NEXT_EXIT);
        try {
            commands.send(new KillContainer(c.id, number), actor);
            awaitQuietly(exited, KILL_EXIT_WAIT_SECONDS);
        } finally {
            watch.forget(c.id, exited);
        }
    }

    public void pause(String idOrName, Actor actor) {
        commands.send(new PauseContainer(require(idOrName).id), actor);
    }

    public void unpause(String idOrName, Actor actor) {
        commands.send(new UnpauseContainer(require(idOrName).id), actor);
    }

    public void rename(String idOrName, String newName, Actor actor) {
        ContainerView c = require(idOrName);
        if (newName == null || newName.isBlank()) {
            throw DomainException.invalid("Neither old nor new names may be empty");
        }
        String n = ContainerNames.requireValid(newName);
        ContainerView.byName(n).filter(o -> !o.id.equals(c.id)).ifPresent(o -> {
            throw DomainException.conflict("Error when allocating new name: Conflict. The container name \"/" + n
                    + "\" is already in use by container \"" + o.id + "\". You have to remove (or rename) that container to be able to reuse that name.");
        });
        commands.send(new RenameContainer(c.id, n), actor);
    }

    /** {@code docker update}: new limits (applied to the running container) and restart policy. */
    public void update(String idOrName, Map<String, Object> body, Actor actor) {
        commands.send(UpdateRequests.of(require(idOrName).id, body), actor);
    }

    /** `docker run --rm` whose process could not start: Docker removes the container at once. */
    public void removeIfAutoRemove(String idOrName, Actor actor) {
        ContainerView c = require(idOrName);
        if (HostConfig.parse(ContainerJson.map(c.hostConfig)).autoRemove()) {
            commands.send(new RemoveContainer(c.id, true), actor);
        }
    }

    public void remove(String idOrName, boolean force, Actor actor) {
        commands.send(new RemoveContainer(require(idOrName).id, force), actor);
    }

    /** The future completes with the exit code when the condition holds. */
    public CompletableFuture<Integer> await(String idOrName, ContainerStateWatch.Condition condition) {
        ContainerView c = require(idOrName);
        CompletableFuture<Integer> f = watch.await(c.id, condition);
        if (condition == ContainerStateWatch.Condition.NOT_RUNNING) {
            // Re-read after registering, so an exit between the two is not missed; in a new transaction,
            // because this request's session still holds the row as it was read above.
            ContainerView now = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .call(() -> ContainerView.<ContainerView>findByIdOptional(c.id).orElse(null));
            if (now == null || !(now.running() || now.state == ContainerStatus.RESTARTING)) {
                watch.forget(c.id, f);
                return CompletableFuture.completedFuture(now == null ? c.exitCode : now.exitCode);
            }
        }
        return f;
    }

    private String uniqueGeneratedName() {
        for (int i = 0; i < 20; i++) {
            String n = ContainerNames.generate();
            if (ContainerView.byName(n).isEmpty()) {
                return n;
            }
        }
        return "tally_" + ContainerNames.newId().substring(0, 12);
    }

    private static int stopTimeout(ContainerView c) {
        Integer t = Config.parse(ContainerJson.map(c.config)).stopTimeout();
        return t != null ? t : 10;
    }

    private static int stopSignal(ContainerView c) {
        String s = Config.parse(ContainerJson.map(c.config)).stopSignal();
        try {
            return s == null || s.isBlank() ? 15 : Signals.parse(s);
        } catch (IllegalArgumentException e) {
            return 15;
        }
    }

    private static boolean awaitQuietly(CompletableFuture<Integer> f, long seconds) {
        try {
            f.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static DomainException nameConflict(String name, String otherId) {
        return DomainException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                + otherId + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("ConstraintViolation")) {
                return true;
            }
        }
        return false;
    }

    private static String familiar(String image) {
        try {
            return ImageReference.parse(image).familiar();
        } catch (RuntimeException e) {
            return image;
        }
    }

}

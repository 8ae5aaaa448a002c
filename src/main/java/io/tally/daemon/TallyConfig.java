package io.tally.daemon;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The resolved daemon settings as the beans see them (exported by {@link TallyMain} before boot). */
@ConfigMapping(prefix = "tally")
public interface TallyConfig {
    Path dataRoot();

    String engineId();

    List<String> hosts();

    @WithDefault("root")
    String socketGroup();

    Kafka kafka();

    /** {@code --debug}: shown as /info's Debug. */
    @WithDefault("false")
    boolean debug();

    /** Secret-free description of the configuration, recorded with each engine start. */
    Map<String, String> summary();

    interface Kafka {
        /** embedded, external or off. */
        String mode();

        Optional<String> bootstrap();

        @WithDefault("tally")
        String topicPrefix();

        default boolean enabled() {
            return !"off".equals(mode());
        }

        default String eventsTopic() {
            return topicPrefix() + ".events";
        }
    }
}

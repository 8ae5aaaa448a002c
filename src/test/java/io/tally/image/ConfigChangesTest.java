package io.tally.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigChangesTest {

    private static RunConfig apply(String... changes) {
        return ConfigChanges.apply(RunConfig.EMPTY, List.of(changes));
    }

    @Test
    void envInBothForms() {
        RunConfig config = apply("ENV A=1 B=\"two words\" C=a\\ b", "ENV D the rest of the line",
                "env PATH=/bin", "ENV A=replaced", "ENV E=$PATH:/usr/bin F=${A}-${MISSING:-dflt}");
        assertEquals(List.of("A=replaced", "B=two words", "C=a b", "D=the rest of the line", "PATH=/bin",
                "E=/bin:/usr/bin", "F=replaced-dflt"), config.env());
    }

    @Test
    void cmdAndEntrypointInJsonAndShellForm() {
        RunConfig config = apply("CMD [\"echo\", \"hi there\"]", "ENTRYPOINT /bin/run --flag \"x y\"");
        assertEquals(List.of("echo", "hi there"), config.cmd(), "CMD set by these changes survives ENTRYPOINT");
        assertEquals(List.of("/bin/sh", "-c", "/bin/run --flag \"x y\""), config.entrypoint());

        RunConfig shell = apply("CMD echo $HOME");
        assertEquals(List.of("/bin/sh", "-c", "echo $HOME"), shell.cmd(), "no expansion in CMD, the shell does it");

        RunConfig notJson = apply("CMD [not json");
        assertEquals(List.of("/bin/sh", "-c", "[not json"), notJson.cmd());
    }

    @Test
    void entrypointResetsAnInheritedCmd() {
        RunConfig base = RunConfig.EMPTY.toBuilder().cmd(List.of("sh")).build();
        RunConfig config = ConfigChanges.apply(base, List.of("ENTRYPOINT [\"/init\"]"));
        assertEquals(List.of("/init"), config.entrypoint());
        assertNull(config.cmd());
    }

    @Test
    void workdirUserExposeVolumeLabelStopsignalOnbuild() {
        RunConfig config = apply("WORKDIR /srv", "WORKDIR app/../web", "USER tally:tally", "EXPOSE 80 443/tcp 53/UDP 8000-8002",
                "VOLUME [\"/data\", \"/logs\"]", "VOLUME /cache /tmp/x", "LABEL a=1 \"b c\"=\"d e\"", "LABEL legacy value here",
                "STOPSIGNAL SIGQUIT", "ONBUILD RUN make");
        assertEquals("/srv/web", config.workingDir());
        assertEquals("tally:tally", config.user());
        assertEquals(Set.of("80/tcp", "443/tcp", "53/udp", "8000/tcp", "8001/tcp", "8002/tcp"), config.exposedPorts());
        assertEquals(Set.of("/data", "/logs", "/cache", "/tmp/x"), config.volumes());
        assertEquals(Map.of("a", "1", "b c", "d e", "legacy", "value here"), config.labels());
        assertEquals("SIGQUIT", config.stopSignal());
        assertEquals(List.of("RUN make"), config.onBuild());
    }

    @Test
    void keepsWhatIsNotChanged() {
        RunConfig base = RunConfig.EMPTY.toBuilder().user("root").env("PATH", "/bin").workingDir("/w").build();
        RunConfig config = ConfigChanges.apply(base, List.of("ENV X=1", "WORKDIR sub"));
        assertEquals("root", config.user());
        assertEquals(List.of("PATH=/bin", "X=1"), config.env());
        assertEquals("/w/sub", config.workingDir());
    }

    @Test
    void multiLineChanges() {
        RunConfig config = apply("# a comment\nENV A=1 \\\n    B=2\n\nUSER nobody");
        assertEquals(List.of("A=1", "B=2"), config.env());
        assertEquals("nobody", config.user());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "FOO bar                 | changes: unknown instruction FOO",
        "frobnicate              | changes: unknown instruction FROBNICATE",
        "RUN echo hi             | changes: RUN is not a valid change command",
        "HEALTHCHECK NONE        | changes: HEALTHCHECK is not supported yet",
        "ENV                     | changes: ENV requires at least one argument",
        "ENV ONLYKEY             | changes: ENV must have two arguments",
        "ENV =x                  | changes: ENV names can not be blank",
        "ENV A=1 B               | changes: ENV syntax error",
        "ENV A=\"unterminated    | unexpected end of statement",
        "EXPOSE 80/http          | changes: EXPOSE: invalid protocol",
        "EXPOSE 99999            | changes: EXPOSE: invalid port",
        "EXPOSE 90-80            | changes: EXPOSE: invalid port range",
        "EXPOSE 1.2.3.4:80:80    | changes: EXPOSE: invalid port",
        "USER a b                | changes: USER requires exactly one argument",
        "VOLUME [\"\"]           | changes: VOLUME specified can not be an empty string",
        "STOPSIGNAL SIG;rm       | changes: STOPSIGNAL: invalid signal",
        "ONBUILD ONBUILD RUN x   | changes: ONBUILD isn't allowed as an ONBUILD trigger",
        "CMD                     | changes: CMD requires at least one argument",
    })
    void refusesWithAClearMessage(String change, String message) {
        var e = assertThrows(InvalidChangeException.class, () -> apply(change));
        assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
    }
}

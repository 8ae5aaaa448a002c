package io.tally.runtime.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `docker top`: the host's ps output, reduced to the container's processes (as dockerd does). */
final class ContainerProcesses {

    private ContainerProcesses() {
    }

    static ProcessTable of(List<Long> pids, String psArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        cmd.addAll(psArgs == null || psArgs.isBlank() ? List.of("-ef") : Arrays.asList(psArgs.trim().split("\\s+")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        List<String> lines = out.lines().toList();
        if (lines.isEmpty()) {
            throw new IOException("ps printed nothing");
        }
        List<String> titles = Arrays.asList(lines.get(0).trim().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw new IOException("Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+", titles.size());
            if (f.length > pidColumn && pids.contains(Long.parseLong(f[pidColumn]))) {
                rows.add(Arrays.asList(f));
            }
        }
        return new ProcessTable(titles, rows);
    }
}

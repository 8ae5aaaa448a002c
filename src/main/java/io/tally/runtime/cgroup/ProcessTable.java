package io.tally.runtime.cgroup;

import java.util.List;

/** Rows of ps output: the titles line split into columns, and one row per process. */
public record ProcessTable(List<String> titles, List<List<String>> processes) {
}

package io.tally.runtime.logfile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a container log written by tally-shim in the CRI format, one record per line:
 * {@code <RFC 3339 nano time> <stdout|stderr> <F|P> <content>}; P (partial) records are joined with
 * the next ones of the same stream into one line. Rotated files ({@code container.log.N}, N=1 newest)
 * come first.
 */
public final class CriLog {

    private CriLog() {
    }

    /** The log files of a container, oldest first. */
    public static List<Path> files(Path current) {
        List<Path> files = new ArrayList<>();
        for (int i = 1000; i >= 1; i--) {
            Path rotated = current.resolveSibling(current.getFileName() + "." + i);
            if (Files.exists(rotated)) {
                files.add(rotated);
            }
        }
        if (Files.exists(current)) {
            files.add(current);
        }
        return files;
    }

    public static void readAll(Path current, Consumer<LogLine> sink) throws IOException {
        Assembler a = new Assembler(sink);
        for (Path f : files(current)) {
            try (InputStream in = Files.newInputStream(f)) {
                readRecords(in, a);
            }
        }
        a.flush();
    }

    /** Reads records from {@code offset} of the current file; returns the offset reached (at a record boundary). */
    public static long readFrom(Path current, long offset, Consumer<LogLine> sink) throws IOException {
        return readFrom(current, offset, Integer.MAX_VALUE - 8, sink);
    }

    /**
     * Like {@link #readFrom(Path, long, Consumer)}, reading at most {@code maxBytes} (which must exceed
     * one record: the shim writes at most 16 KiB of content per record).
     */
    public static long readFrom(Path current, long offset, int maxBytes, Consumer<LogLine> sink) throws IOException {
        if (!Files.exists(current)) {
            return 0;
        }
        try (RandomAccessFile raf = new RandomAccessFile(current.toFile(), "r")) {
            long length = raf.length();
            if (length < offset) {
                offset = 0; // rotated under us: the current file starts over
            }
            raf.seek(offset);
            byte[] rest = new byte[(int) Math.min(maxBytes, length - offset)];
            raf.readFully(rest);
            int lastNewline = -1;
            for (int i = rest.length - 1; i >= 0; i--) {
                if (rest[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return offset;
            }
            Assembler a = new Assembler(sink);
            readRecords(new java.io.ByteArrayInputStream(rest, 0, lastNewline + 1), a);
            a.flush();
            return offset + lastNewline + 1;
        }
    }

    private static void readRecords(InputStream in, Assembler a) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String record;
        while ((record = r.readLine()) != null) {
            int s1 = record.indexOf(' ');
            int s2 = s1 < 0 ? -1 : record.indexOf(' ', s1 + 1);
            if (s2 < 0 || s2 + 2 > record.length()) {
                continue; // not a record (torn write at a crash); skip it
            }
            Instant time;
            try {
                time = Instant.parse(record.substring(0, s1));
            } catch (RuntimeException e) {
                continue;
            }
            String stream = record.substring(s1 + 1, s2);
            boolean full = record.charAt(s2 + 1) == 'F';
            String content = s2 + 3 <= record.length() ? record.substring(s2 + 3) : "";
            a.add(time, stream, content, full);
        }
    }

    /** Joins partial records per stream into lines. */
    private static final class Assembler {
        private final Consumer<LogLine> sink;
        private final StringBuilder[] pending = {new StringBuilder(), new StringBuilder()};
        private final Instant[] firstTime = new Instant[2];

        Assembler(Consumer<LogLine> sink) {
            this.sink = sink;
        }

        void add(Instant time, String stream, String content, boolean full) {
            int i = "stderr".equals(stream) ? 1 : 0;
            if (firstTime[i] == null) {
                firstTime[i] = time;
            }
            pending[i].append(content);
            if (full) {
                pending[i].append('\n');
                emit(i, stream);
            }
        }

        void flush() {
            for (int i = 0; i < 2; i++) {
                if (!pending[i].isEmpty()) {
                    emit(i, i == 1 ? "stderr" : "stdout");
                }
            }
        }

        private void emit(int i, String stream) {
            sink.accept(new LogLine(firstTime[i], stream, pending[i].toString().getBytes(StandardCharsets.UTF_8)));
            pending[i].setLength(0);
            firstTime[i] = null;
        }
    }

}

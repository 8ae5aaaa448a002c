package io.tally.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The word rules of a Dockerfile line, as far as {@code --change} instructions need them: splitting at
 * unquoted whitespace, removing quotes, backslash escapes and {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}}, {@code ${VAR:+alternative}} expansion (not inside single quotes).
 */
final class DockerfileWords {

    private static final char ESCAPE = '\\';

    private DockerfileWords() {
    }

    /** Splits at whitespace outside quotes, keeping quotes and escapes in the words for {@link #process}. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == ESCAPE && quote != '\'' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Removes quotes, applies escapes and expands variables from {@code env} (NAME=value entries). */
    static String process(String word, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '\'') {
                int end = word.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new InvalidChangeException("unexpected end of statement while looking for matching single-quote in: " + word);
                }
                out.append(word, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(word, i + 1, env, out);
            } else if (c == ESCAPE) {
                if (i + 1 < word.length()) {
                    out.append(word.charAt(i + 1));
                }
                i += 2;
            } else if (c == '$') {
                i = variable(word, i, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int doubleQuoted(String word, int start, Map<String, String> env, StringBuilder out) {
        int i = start;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == ESCAPE && i + 1 < word.length() && "\"$\\".indexOf(word.charAt(i + 1)) >= 0) {
                out.append(word.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = variable(word, i, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        throw new InvalidChangeException("unexpected end of statement while looking for matching double-quote in: " + word);
    }

    /** Expands the variable starting at the '$' at {@code dollar}; returns the index after it. */
    private static int variable(String word, int dollar, Map<String, String> env, StringBuilder out) {
        int i = dollar + 1;
        if (i < word.length() && word.charAt(i) == '{') {
            int close = word.indexOf('}', i);
            if (close < 0) {
                throw new InvalidChangeException("missing '}' in: " + word);
            }
            String body = word.substring(i + 1, close);
            int modifier = body.indexOf(':');
            String name = modifier < 0 ? body : body.substring(0, modifier);
            String value = env.get(name);
            if (modifier < 0) {
                out.append(value == null ? "" : value);
            } else if (body.startsWith(":-", modifier)) {
                out.append(value == null || value.isEmpty() ? process(body.substring(modifier + 2), env) : value);
            } else if (body.startsWith(":+", modifier)) {
                out.append(value == null || value.isEmpty() ? "" : process(body.substring(modifier + 2), env));
            } else {
                throw new InvalidChangeException("unsupported modifier in ${" + body + "}");
            }
            return close + 1;
        }
        int end = i;
        while (end < word.length() && (Character.isLetterOrDigit(word.charAt(end)) || word.charAt(end) == '_')) {
            end++;
        }
        if (end == i) {
            out.append('$');
            return i;
        }
        String value = env.get(word.substring(i, end));
        out.append(value == null ? "" : value);
        return end;
    }
}

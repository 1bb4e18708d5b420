package io.etlpool.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value with the line it starts on, so that every error can name its line. */
final class YamlNode {

    final int line;
    final Object value; // String for scalars, Map<String, YamlNode> or List<YamlNode>
    /** For a map: the line of each key. */
    final Map<String, Integer> keyLines;

    private YamlNode(int line, Object value, Map<String, Integer> keyLines) {
        this.line = line;
        this.value = value;
        this.keyLines = keyLines;
    }

    /** A value made by the program (a pipeline's stream merged with its defaults), at the line it stands for. */
    static YamlNode scalar(int line, String text) {
        return new YamlNode(line, text, Map.of());
    }

    /** A map made by the program; a key missing from {@code keyLines} is on its value's line. */
    static YamlNode map(int line, Map<String, YamlNode> entries, Map<String, Integer> keyLines) {
        Map<String, YamlNode> map = new LinkedHashMap<>(entries);
        Map<String, Integer> lines = new LinkedHashMap<>();
        map.forEach((k, v) -> lines.put(k, keyLines.getOrDefault(k, v.line)));
        return new YamlNode(line, map, lines);
    }

    /** A list made by the program. */
    static YamlNode list(int line, List<YamlNode> items) {
        return new YamlNode(line, List.copyOf(items), Map.of());
    }

    static YamlNode parse(Reader in, String file) throws IOException, JobFileException {
        try (JsonParser p = new YAMLFactory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JobFileException(file, 0, "the file is empty");
            }
            return read(p, file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new JobFileException(file, line, "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static YamlNode read(JsonParser p, String file) throws IOException, JobFileException {
        int line = p.currentLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, YamlNode> map = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = p.currentLocation().getLineNr();
                if (map.containsKey(key)) {
                    throw new JobFileException(file, keyLine, "key '" + key + "' appears twice");
                }
                p.nextToken();
                map.put(key, read(p, file));
                lines.put(key, keyLine);
            }
            return new YamlNode(line, map, lines);
        }
        if (t == JsonToken.START_ARRAY) {
            List<YamlNode> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(p, file));
            }
            return new YamlNode(line, list, Map.of());
        }
        return new YamlNode(line, t == JsonToken.VALUE_NULL ? null : p.getText(), Map.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, YamlNode> map() {
        return value instanceof Map ? (Map<String, YamlNode>) value : null;
    }

    @SuppressWarnings("unchecked")
    List<YamlNode> list() {
        return value instanceof List ? (List<YamlNode>) value : null;
    }

    String text() {
        return value instanceof String ? (String) value : null;
    }
}

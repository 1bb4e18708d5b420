package io.etlpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a generated section of a Markdown file: the text between {@code <!-- NAME:begin ... -->} and
 * {@code <!-- NAME:end -->}, so the benchmarks keep docs/BENCHMARKS.md current without touching the prose
 * around their tables.
 */
final class DocSection {

    private DocSection() {
    }

    static void replace(Path doc, String name, String section) throws IOException {
        String text = Files.readString(doc);
        String beginTag = "<!-- " + name + ":begin";
        String endTag = "<!-- " + name + ":end -->";
        int a = text.indexOf(beginTag);
        int afterBegin = a < 0 ? -1 : text.indexOf("-->", a);
        int z = text.indexOf(endTag);
        if (a < 0 || afterBegin < 0 || z < afterBegin) {
            throw new IllegalStateException(doc + " has no " + beginTag + " ... -->" + " / " + endTag
                    + " markers: add them where the generated section belongs");
        }
        int start = afterBegin + "-->".length();
        Files.writeString(doc, text.substring(0, start) + "\n" + section.strip() + "\n" + text.substring(z));
    }
}

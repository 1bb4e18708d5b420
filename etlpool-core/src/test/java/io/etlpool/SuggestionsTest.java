package io.etlpool;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    @Test
    void theNearestNameWithinTheBoundIgnoringCase() {
        List<String> names = List.of("maxSize", "minSize", "connectionTimeout");
        assertThat(Suggestions.closest("maxSzie", names, 2)).isEqualTo("maxSize");
        assertThat(Suggestions.closest("MAXSIZE", names, 0)).isEqualTo("maxSize");
        assertThat(Suggestions.closest("conectionTimout", names, 2)).isEqualTo("connectionTimeout");
        assertThat(Suggestions.closest("retries", names, 2)).isNull();
        assertThat(Suggestions.closest("anything", List.of(), 5)).isNull();
    }

    @Test
    void ofEquallyNearNamesTheFirstWins() {
        assertThat(Suggestions.closest("mxSize", List.of("maxSize", "mnSize", "minSize"), 2)).isEqualTo("maxSize");
        assertThat(Suggestions.closest("mxSize", List.of("mnSize", "maxSize"), 2)).isEqualTo("mnSize");
    }

    @Test
    void levenshteinDistance() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(2);
    }
}

package org.civharm.infra.mongo;

import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tracking read's shape, {@code globalIndex > n AND globalIndex <= n + w}, is answered from the bounded range, not
 * by materialising every position at or below {@code n + w}; an empty range answers nothing rather than failing.
 */
class FieldIndexTest {

    private final FieldIndex<Long> index = new FieldIndex<>("globalIndex");

    FieldIndexTest() {
        for (long i = 0; i < 10_000; i++) {
            index.add(new Document("globalIndex", i), i);
        }
    }

    @Test
    void twoRangesOnOneFieldMergeIntoTheTightestBounds() {
        List<Object> conditions = new ArrayList<>(List.of(new Document("$gt", 9_000L), new Document("$lte", 9_004L),
                new Document("$gte", 8_000L), new Document("$lt", 9_500L)));
        Document merged = FieldIndex.mergedRange(conditions);
        assertThat(merged).isEqualTo(new Document("$gt", 9_000L).append("$lte", 9_004L));
        assertThat(index.candidates(merged)).containsExactly(9_001L, 9_002L, 9_003L, 9_004L);
    }

    @Test
    void aRangeLargerThanTheLimitIsNotMaterialised() {
        assertThat(index.candidates(new Document("$lte", 9_004L), 100)).isNull();
        assertThat(index.candidates(new Document("$gt", 9_990L), 100)).hasSize(9);
    }

    @Test
    void anEmptyRangeAnswersNothing() {
        assertThat(index.candidates(new Document("$gt", 5L).append("$lte", 5L))).isEmpty();
        assertThat(index.candidates(new Document("$gte", 5L).append("$lte", 5L))).containsExactly(5L);
        assertThat(FieldIndex.mergedRange(List.of(new Document("$gt", 7L), new Document("$lt", 3L)))).isNull();
        assertThat(FieldIndex.mergedRange(List.of(new Document("$gt", 7L), new Document("$in", List.of(3L))))).isNull();
    }

    @Test
    void theCandidatesOfAValueFollowTheIndexAndCannotChangeIt() {
        FieldIndex<Long> byState = new FieldIndex<>("state");
        for (long position = 1; position <= 5; position++) {
            byState.add(new Document("state", "PENDING"), position);
        }
        var pending = byState.candidates("PENDING");
        assertThat(pending).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThatThrownBy(() -> pending.add(6L)).isInstanceOf(UnsupportedOperationException.class);
        byState.remove(new Document("state", "PENDING"), 1L);
        byState.add(new Document("state", "SENT"), 1L);
        assertThat(byState.candidates("PENDING")).containsExactly(2L, 3L, 4L, 5L);
        byState.add(new Document("state", List.of("odd")), 9L); // an array: unordered, a candidate for every value
        assertThat(byState.candidates("PENDING")).containsExactly(2L, 3L, 4L, 5L, 9L);
        assertThat(byState.candidates("SENT")).containsExactly(1L, 9L);
    }

    @Test
    void aValueHeldByOneThenSeveralThenOneDocumentAgainKeepsItsPositions() {
        FieldIndex<Long> byCase = new FieldIndex<>("caseId");
        Document a = new Document("caseId", "A");
        byCase.add(a, 1L);
        byCase.add(a, 1L); // the same position again: still one
        assertThat(byCase.candidates("A")).containsExactly(1L);
        byCase.add(a, 2L);
        byCase.add(a, 3L);
        assertThat(byCase.candidates("A")).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(byCase.candidates(new Document("$in", List.of("A", "B")))).containsExactlyInAnyOrder(1L, 2L, 3L);
        byCase.remove(a, 1L);
        byCase.remove(a, 3L);
        assertThat(byCase.candidates("A")).containsExactly(2L);
        assertThat(byCase.candidates(new Document("$gte", "A"))).containsExactly(2L);
        byCase.remove(a, 9L); // a position it never held
        assertThat(byCase.candidates("A")).containsExactly(2L);
        byCase.remove(a, 2L);
        assertThat(byCase.candidates("A")).isEmpty();
        assertThat(byCase.candidates(new Document("$gte", "A"))).isEmpty();
        assertThat(byCase.inOrder(true)).isEmpty();
    }
}

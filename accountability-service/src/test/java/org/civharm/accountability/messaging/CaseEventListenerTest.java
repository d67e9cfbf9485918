package org.civharm.accountability.messaging;

import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.civharm.accountability.support.IncidentMother;
import org.civharm.accountability.support.IncidentTopic;
import org.civharm.accountability.support.TestInfrastructure;
import org.civharm.accountability.views.ViewPointers;
import org.civharm.contract.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which record the listener names when a poll fails. The container's error handler commits every record ahead of
 * the one named and retries from it, so a failure while a run of readable records is still unwritten must name the
 * run's first record, or the run would be committed without ever being applied. The dead-letter store is the real
 * one (Mongo-wire server, real driver) with an outage switched on; the steps only record what they were given.
 */
class CaseEventListenerTest {

    private MongoClient client;
    private RecordingSteps steps;
    private StoreWithOutage parked;
    private CaseEventListener listener;

    /** The steps of each applied run, in order (their own writes are tested in IncidentCaseRepositoryTest). */
    static final class RecordingSteps extends CaseEventSteps {
        final List<List<Step>> applied = new ArrayList<>();
        volatile boolean failing;

        RecordingSteps(ViewPointers pointers) {
            super(null, null, null, pointers);
        }

        @Override
        public void applyAll(List<Step> run) {
            if (failing) {
                throw new MongoTimeoutException("store unreachable (test)");
            }
            applied.add(List.copyOf(run));
        }
    }

    /** The real store, whose "already set aside?" lookup fails while {@code down}. */
    static final class StoreWithOutage extends ParkedRecordRepository {
        volatile boolean down;

        StoreWithOutage(MongoClient client, CivharmMongoProperties mongo) {
            super(client, mongo, Clock.systemUTC(), new SimpleMeterRegistry());
        }

        @Override
        public boolean contains(String id) {
            if (down) {
                throw new MongoTimeoutException("store unreachable (test)");
            }
            return super.contains(id);
        }
    }

    @BeforeEach
    void open() {
        client = MongoClients.create(TestInfrastructure.mongoUri());
        CivharmMongoProperties database = new CivharmMongoProperties("listener-" + UUID.randomUUID());
        ViewPointers pointers = new ViewPointers(client, database);
        EnvelopeReader reader = new EnvelopeReader();
        steps = new RecordingSteps(pointers);
        parked = new StoreWithOutage(client, database);
        listener = new CaseEventListener(reader, steps, parked, new DeadLetters(parked, reader, steps, Clock.systemUTC()),
                pointers);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ConsumerRecord<String, String> incident(long offset, String key, String value) {
        return new ConsumerRecord<>(Topics.INCIDENT_EVENTS, 0, offset, key, value);
    }

    /** A case filed then dismissed: two readable records, at {@code offset} and the next. */
    private static List<ConsumerRecord<String, String>> filedThenDismissed(String caseId, long offset) {
        return List.of(
                incident(offset, caseId, IncidentTopic.envelope(IncidentMother.filed(caseId), UUID.randomUUID().toString(), 0)),
                incident(offset + 1, caseId,
                        IncidentTopic.envelope(IncidentMother.dismissed(caseId), UUID.randomUUID().toString(), 1)));
    }

    @Test
    void aLaterRecordsFailureWhileARunIsUnwrittenIsReportedForTheRunsFirstRecord() {
        List<ConsumerRecord<String, String>> run = filedThenDismissed("LISTEN-1", 10);
        ConsumerRecord<String, String> filed = run.get(0);
        // no key: whether it was set aside already is asked of the store, record by record, before the run is written
        ConsumerRecord<String, String> keyless = incident(12, null, "not an envelope");
        List<ConsumerRecord<String, String>> poll = List.of(filed, run.get(1), keyless);

        parked.down = true;
        assertThatThrownBy(() -> listener.on(poll)).isInstanceOfSatisfying(BatchListenerFailedException.class,
                e -> assertThat(e.getRecord()).as("retried from the run's first record").isSameAs(filed));
        assertThat(steps.applied).as("the run was not written").isEmpty();

        // the container retries from the named record: the run is applied once, the unreadable record parked
        parked.down = false;
        listener.on(poll);
        assertThat(steps.applied).hasSize(1);
        assertThat(steps.applied.get(0)).extracting(s -> s.read().envelope().sequence()).containsExactly(0L, 1L);
        assertThat(parked.contains(ParkedRecordRepository.idOf(keyless))).isTrue();
    }

    @Test
    void aRunThatFailsToBeWrittenIsReportedForItsFirstRecord() {
        List<ConsumerRecord<String, String>> run = filedThenDismissed("LISTEN-2", 20);
        ConsumerRecord<String, String> filed = run.get(0);

        steps.failing = true;
        assertThatThrownBy(() -> listener.on(run))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> assertThat(e.getRecord()).isSameAs(filed));
    }
}

package org.civharm.accountability.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.civharm.accountability.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live incident copy written a run at a time, through the real driver against the Mongo-wire server: one read and
 * one bulk write per run, redelivered events skipped by sequence, and another writer's change in between (another
 * instance, or the same records redelivered elsewhere) neither lost nor applied twice.
 */
class IncidentCaseRepositoryTest {

    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
    private MongoClient counted;
    private MongoClient otherClient;
    private IncidentCaseRepository repository;
    private IncidentCaseRepository otherInstance;

    @BeforeEach
    void open() {
        CivharmMongoProperties database = new CivharmMongoProperties("incident-cases-" + UUID.randomUUID());
        CommandListener listener = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                var target = event.getCommand().get(event.getCommandName());
                if (target != null && target.isString()
                        && target.asString().getValue().startsWith(IncidentCaseRepository.COLLECTION)) {
                    commands.computeIfAbsent(event.getCommandName(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        counted = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(TestInfrastructure.mongoUri()))
                .addCommandListener(listener).build());
        otherClient = MongoClients.create(TestInfrastructure.mongoUri());
        ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build(); // as Spring Boot builds it
        repository = new IncidentCaseRepository(new ViewPointers(counted, database), mapper);
        otherInstance = new IncidentCaseRepository(new ViewPointers(otherClient, database), mapper);
    }

    @AfterEach
    void close() {
        counted.close();
        otherClient.close();
    }

    /** A change that appends {@code tag} to the report title, so the order of applied changes can be read back. */
    private static IncidentCaseRepository.CaseChange titled(String caseId, long sequence, String tag) {
        return new IncidentCaseRepository.CaseChange(caseId, sequence,
                c -> c.reportTitle = (c.reportTitle == null ? "" : c.reportTitle + "|") + tag);
    }

    private String title(String caseId) {
        return repository.findById(caseId).orElseThrow().reportTitle;
    }

    private int count(String command) {
        return commands.getOrDefault(command, new AtomicInteger()).get();
    }

    @Test
    void aRunIsReadOnceAndWrittenInOneBulkWrite() {
        repository.applyAll(List.of(titled("A", 1, "a1"), titled("B", 1, "b1")));
        commands.clear();

        repository.applyAll(List.of(titled("A", 2, "a2"), titled("C", 1, "c1"), titled("A", 3, "a3"),
                titled("B", 2, "b2"), titled("C", 2, "c2")));

        assertThat(count("find")).as("one read of the run's cases").isEqualTo(1);
        assertThat(count("update")).as("the replaces, in one command").isEqualTo(1);
        assertThat(count("insert")).as("the new case, in one command").isEqualTo(1);
        assertThat(title("A")).isEqualTo("a1|a2|a3");
        assertThat(title("B")).isEqualTo("b1|b2");
        assertThat(title("C")).isEqualTo("c1|c2");
        assertThat(repository.findById("A").orElseThrow().lastSequence).isEqualTo(3);
    }

    @Test
    void redeliveredEventsChangeNothing() {
        repository.applyAll(List.of(titled("A", 1, "a1"), titled("A", 2, "a2")));
        commands.clear();

        repository.applyAll(List.of(titled("A", 1, "again"), titled("A", 2, "again")));
        repository.applyAll(List.of(titled("A", 2, "again"), titled("A", 3, "a3")));

        assertThat(title("A")).isEqualTo("a1|a2|a3");
        assertThat(count("update")).as("only the run with something new wrote").isEqualTo(1);
    }

    @Test
    void aChangeWrittenElsewhereMeanwhileIsKeptAndTheRestAppliedOnTop() {
        repository.applyAll(List.of(titled("A", 1, "a1")));
        AtomicBoolean first = new AtomicBoolean(true);
        IncidentCaseRepository.CaseChange raced = new IncidentCaseRepository.CaseChange("A", 2, c -> {
            if (first.getAndSet(false)) {
                // after this run read the case, another instance applies the same event (a redelivery elsewhere)
                otherInstance.applyAll(List.of(titled("A", 2, "theirs-2")));
            }
            c.reportTitle = c.reportTitle + "|mine-2";
        });

        repository.applyAll(List.of(raced, titled("A", 3, "a3")));

        assertThat(title("A")).as("event 2 once (theirs), event 3 on top of it").isEqualTo("a1|theirs-2|a3");
        assertThat(repository.findById("A").orElseThrow().lastSequence).isEqualTo(3);
    }

    @Test
    void aCaseCreatedElsewhereMeanwhileIsNotCreatedTwice() {
        AtomicBoolean first = new AtomicBoolean(true);
        IncidentCaseRepository.CaseChange raced = new IncidentCaseRepository.CaseChange("N", 1, c -> {
            if (first.getAndSet(false)) {
                otherInstance.applyAll(List.of(titled("N", 1, "theirs-1")));
            }
            c.reportTitle = "mine-1";
        });

        repository.applyAll(List.of(raced, titled("N", 2, "n2"), titled("O", 1, "o1")));

        assertThat(title("N")).isEqualTo("theirs-1|n2");
        assertThat(title("O")).as("the run's other case is written too").isEqualTo("o1");
    }
}

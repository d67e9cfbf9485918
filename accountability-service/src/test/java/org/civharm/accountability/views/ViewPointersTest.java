package org.civharm.accountability.views;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.civharm.accountability.config.CivharmMongoProperties;
import org.civharm.accountability.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumed record's writes read the views' pointers once ({@link ViewPointers#pinned}), through the real driver
 * against the Mongo-wire server; another instance's switch is seen by the next scope, this thread's own at once.
 */
class ViewPointersTest {

    @Test
    void aScopeReadsEveryPointerInOneQueryAndKeepsThemUntilItEnds() {
        AtomicInteger pointerReads = new AtomicInteger();
        CivharmMongoProperties database = new CivharmMongoProperties("pointers-" + UUID.randomUUID());
        try (MongoClient counted = countingPointerReads(pointerReads);
             MongoClient otherInstance = MongoClients.create(TestInfrastructure.mongoUri())) {
            ViewPointers pointers = new ViewPointers(counted, database);
            ViewPointers elsewhere = new ViewPointers(otherInstance, database);
            elsewhere.switchTo("timeline", "timeline_1");
            elsewhere.switchTo("incident_cases", "incident_cases_1");

            pointerReads.set(0);
            pointers.pinned(() -> {
                assertThat(pointers.current("timeline")).isEqualTo("timeline_1");
                elsewhere.switchTo("timeline", "timeline_2"); // another instance's rebuild switches meanwhile
                assertThat(pointers.current("timeline")).isEqualTo("timeline_1");
                assertThat(pointers.current("incident_cases")).isEqualTo("incident_cases_1");
                assertThat(pointers.current("accountability_records")).as("a view without a pointer").isEqualTo("accountability_records");
                pointers.pinned(() -> assertThat(pointers.current("timeline")).isEqualTo("timeline_1"));
            });
            assertThat(pointerReads).as("one query for every lookup of the scope").hasValue(1);

            assertThat(pointers.current("timeline")).as("outside a scope: read now").isEqualTo("timeline_2");
            assertThat(pointers.pinned(() -> pointers.current("timeline"))).as("the next scope")
                    .isEqualTo("timeline_2");
            assertThat(pointerReads).hasValue(3);

            pointers.pinned(() -> {
                assertThat(pointers.current("incident_cases")).isEqualTo("incident_cases_1");
                pointers.switchTo("incident_cases", "incident_cases_2"); // this thread's own switch
                assertThat(pointers.current("incident_cases")).isEqualTo("incident_cases_2");
            });
            assertThat(elsewhere.current("incident_cases")).isEqualTo("incident_cases_2");
        }
    }

    @Test
    void aPollScopeKeepsItsPointersUntilThisInstanceSwitchesOne() throws Exception {
        AtomicInteger pointerReads = new AtomicInteger();
        CivharmMongoProperties database = new CivharmMongoProperties("pointers-" + UUID.randomUUID());
        try (MongoClient counted = countingPointerReads(pointerReads);
             MongoClient otherInstance = MongoClients.create(TestInfrastructure.mongoUri())) {
            ViewPointers pointers = new ViewPointers(counted, database);
            ViewPointers elsewhere = new ViewPointers(otherInstance, database);
            pointers.switchTo("timeline", "timeline_1");

            pointerReads.set(0);
            pointers.openPollScope();
            try {
                for (int record = 0; record < 5; record++) {
                    assertThat(pointers.pinned(() -> pointers.current("timeline"))).isEqualTo("timeline_1");
                }
                assertThat(pointerReads).as("one query for the records of a poll").hasValue(1);
                elsewhere.switchTo("timeline", "timeline_2");
                assertThat(pointers.current("timeline")).as("another instance's switch: the next poll")
                        .isEqualTo("timeline_1");
                // a rebuild of this instance, on its own thread, between two records of the poll
                Thread rebuild = new Thread(() -> pointers.switchTo("timeline", "timeline_3"));
                rebuild.start();
                rebuild.join();
                assertThat(pointers.current("timeline")).as("this instance's switch: at once").isEqualTo("timeline_3");
                assertThat(pointerReads).as("the switch's own read of the old pointer, then the scope's again").hasValue(3);
            } finally {
                pointers.closePollScope();
            }
            assertThat(elsewhere.current("timeline")).isEqualTo("timeline_3");
        }
    }

    /** A client to the Mongo-wire server that counts the pointer queries it sends. */
    private static MongoClient countingPointerReads(AtomicInteger pointerReads) {
        CommandListener counter = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if (event.getCommandName().equals("find")
                        && event.getCommand().getString("find").getValue().equals(ViewPointers.COLLECTION)) {
                    pointerReads.incrementAndGet();
                }
            }
        };
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(TestInfrastructure.mongoUri()))
                .addCommandListener(counter).build());
    }
}

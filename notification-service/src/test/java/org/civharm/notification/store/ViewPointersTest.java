package org.civharm.notification.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.civharm.notification.config.CivharmMongoProperties;
import org.civharm.notification.support.TestInfrastructure;
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
            elsewhere.switchTo("case_facts", "case_facts_1");
            elsewhere.switchTo("obligations", "obligations_1");

            pointerReads.set(0);
            pointers.pinned(() -> {
                assertThat(pointers.current("case_facts")).isEqualTo("case_facts_1");
                elsewhere.switchTo("case_facts", "case_facts_2"); // another instance's rebuild switches meanwhile
                assertThat(pointers.current("case_facts")).isEqualTo("case_facts_1");
                assertThat(pointers.current("obligations")).isEqualTo("obligations_1");
                assertThat(pointers.current("alerts")).as("a view without a pointer").isEqualTo("alerts");
                pointers.pinned(() -> assertThat(pointers.current("case_facts")).isEqualTo("case_facts_1"));
            });
            assertThat(pointerReads).as("one query for every lookup of the scope").hasValue(1);

            assertThat(pointers.current("case_facts")).as("outside a scope: read now").isEqualTo("case_facts_2");
            assertThat(pointers.pinned(() -> pointers.current("case_facts"))).as("the next scope")
                    .isEqualTo("case_facts_2");
            assertThat(pointerReads).hasValue(3);

            pointers.pinned(() -> {
                assertThat(pointers.current("obligations")).isEqualTo("obligations_1");
                pointers.switchTo("obligations", "obligations_2"); // this thread's own switch
                assertThat(pointers.current("obligations")).isEqualTo("obligations_2");
            });
            assertThat(elsewhere.current("obligations")).isEqualTo("obligations_2");
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
            pointers.switchTo("case_facts", "case_facts_1");

            pointerReads.set(0);
            pointers.openPollScope();
            try {
                for (int record = 0; record < 5; record++) {
                    assertThat(pointers.pinned(() -> pointers.current("case_facts"))).isEqualTo("case_facts_1");
                }
                assertThat(pointerReads).as("one query for the records of a poll").hasValue(1);
                elsewhere.switchTo("case_facts", "case_facts_2");
                assertThat(pointers.current("case_facts")).as("another instance's switch: the next poll")
                        .isEqualTo("case_facts_1");
                // a rebuild of this instance, on its own thread, between two records of the poll
                Thread rebuild = new Thread(() -> pointers.switchTo("case_facts", "case_facts_3"));
                rebuild.start();
                rebuild.join();
                assertThat(pointers.current("case_facts")).as("this instance's switch: at once").isEqualTo("case_facts_3");
                assertThat(pointerReads).as("the switch's own read of the old pointer, then the scope's again").hasValue(3);
            } finally {
                pointers.closePollScope();
            }
            assertThat(elsewhere.current("case_facts")).isEqualTo("case_facts_3");
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

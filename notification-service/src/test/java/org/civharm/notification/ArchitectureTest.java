package org.civharm.notification;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependency rules of notification-service (production classes only).
 * <p>
 * The domain (policies, obligation and alert state machines, delivery rules) and the api (facts it takes in) are
 * plain Java: no Spring, no Mongo, no Kafka, no Jackson, not even the wire contract — the messaging adapter translates
 * envelopes into facts. The domain never reaches out to the adapters. The service knows the other bounded contexts
 * only through the published contract and topics, never through their code.
 */
@AnalyzeClasses(packages = "org.civharm.notification", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_and_api_are_plain_java =
            noClasses().that().resideInAnyPackage("..notification.domain..", "..notification.api..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.mongodb..",
                            "org.bson..", "org.apache.kafka..", "com.fasterxml.jackson..", "jakarta..",
                            "org.civharm.contract..")
                    .because("the rules are testable and readable without any framework or wire format");

    @ArchTest
    static final ArchRule domain_does_not_depend_on_adapters =
            noClasses().that().resideInAPackage("..notification.domain..")
                    .should().dependOnClassesThat().resideInAnyPackage("..notification.web..",
                            "..notification.store..", "..notification.messaging..", "..notification.channels..",
                            "..notification.service..", "..notification.config..")
                    .because("the domain is the centre; everything else is built around it");

    @ArchTest
    static final ArchRule no_dependency_on_other_services =
            noClasses().that().resideInAPackage("org.civharm.notification..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("org.civharm.incident..", "org.civharm.accountability..")
                    .because("services talk through the published event contract (org.civharm.contract), "
                            + "never through each other's code");

    @ArchTest
    static final ArchRule store_and_domain_do_not_depend_on_web =
            noClasses().that().resideInAnyPackage("..notification.store..", "..notification.service..",
                            "..notification.channels..", "..notification.messaging..")
                    .should().dependOnClassesThat().resideInAPackage("..notification.web..")
                    .because("the web layer serves the rest, not the other way round");

    /** Guards against the rules above passing vacuously because the import missed the packages they are about. */
    @ArchTest
    static void the_rules_see_the_main_packages(JavaClasses classes) {
        for (String pkg : new String[]{"domain", "api", "web", "store", "service", "messaging", "channels", "config"}) {
            assertThat(classes.containPackage("org.civharm.notification." + pkg)).as(pkg + " package imported").isTrue();
        }
        assertThat(classes.contain("org.civharm.notification.domain.ObligationRules")).isTrue();
        assertThat(classes.contain("org.civharm.notification.domain.Alert")).isTrue();
        assertThat(classes.contain(ArchitectureTest.class)).as("test classes are not analysed").isFalse();
    }
}

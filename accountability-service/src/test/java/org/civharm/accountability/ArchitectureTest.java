package org.civharm.accountability;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependency rules of accountability-service (production classes only).
 * <p>
 * The domain and the command API are plain Java + Axon: no Spring, so the aggregate can be tested and reasoned about
 * without a container; the domain never reaches out to the adapters (web, views, messaging); the service knows the
 * other bounded contexts only through the published event contract, never through their code; the read side (views)
 * depends neither on the web layer that serves it nor on the Kafka adapter that feeds it.
 */
@AnalyzeClasses(packages = "org.civharm.accountability", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_and_api_do_not_depend_on_spring =
            noClasses().that().resideInAnyPackage("..accountability.domain..", "..accountability.api..")
                    .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                    .because("the aggregate and its commands are framework-neutral (Axon only), testable without "
                            + "a Spring context");

    @ArchTest
    static final ArchRule domain_does_not_depend_on_adapters =
            noClasses().that().resideInAPackage("..accountability.domain..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("..accountability.web..", "..accountability.views..",
                            "..accountability.messaging..", "..accountability.config..")
                    .because("the domain is the centre; web, views and messaging are adapters around it");

    @ArchTest
    static final ArchRule no_dependency_on_other_services =
            noClasses().that().resideInAPackage("org.civharm.accountability..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("org.civharm.incident..", "org.civharm.notification..", "org.civharm.infra..")
                    .because("services talk through the published event contract (org.civharm.contract), "
                            + "never through each other's code");

    @ArchTest
    static final ArchRule views_do_not_depend_on_web_or_messaging =
            noClasses().that().resideInAPackage("..accountability.views..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("..accountability.web..", "..accountability.messaging..")
                    .because("the read models are fed and served by adapters, not the other way round");

    @ArchTest
    static final ArchRule audit_history_and_reports_do_not_depend_on_web_or_messaging =
            noClasses().that().resideInAnyPackage("..accountability.history..", "..accountability.reports..",
                            "..accountability.audit..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("..accountability.web..", "..accountability.messaging..")
                    .because("as-of views, reports and integrity checks are folded from the logs; adapters serve them");

    @ArchTest
    static final ArchRule the_folds_are_pure =
            noClasses().that().haveSimpleName("CaseFold").or().haveSimpleName("IncidentCases")
                    .or().haveSimpleName("AccountabilityRecords").or().haveSimpleName("MonthlyReport")
                    .or().haveSimpleName("GapReport").or().haveSimpleName("AnnualReport")
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "com.mongodb..",
                            "org.apache.kafka..")
                    .because("one pure fold answers the live views, as-of queries, replays and reports alike");

    /** Guards against the rules above passing vacuously because the import missed the packages they are about. */
    @ArchTest
    static void the_rules_see_the_main_packages(JavaClasses classes) {
        for (String p : new String[]{"domain", "api", "web", "views", "messaging", "config", "audit", "history", "reports"}) {
            assertThat(classes.containPackage("org.civharm.accountability." + p)).as(p + " package imported").isTrue();
        }
        assertThat(classes.contain("org.civharm.accountability.domain.AccountabilityRecord")).as("aggregate imported").isTrue();
        assertThat(classes.contain(ArchitectureTest.class)).as("test classes are not analysed").isFalse();
    }
}

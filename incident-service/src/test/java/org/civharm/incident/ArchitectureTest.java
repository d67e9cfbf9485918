package org.civharm.incident;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependency rules of incident-service (production classes only).
 * <p>
 * The domain and the command API are plain Java + Axon: no Spring, so the aggregate can be tested and reasoned about
 * without a container; the domain never reaches out to the adapters (web, views, messaging); the service knows the
 * other bounded contexts only through the published event contract, never through their code; the read side (views)
 * does not depend on the web layer that serves it.
 * <p>
 * Rules whose subject package may not exist yet allow an empty subject set; {@link #the_rules_see_the_main_packages}
 * makes sure they are not vacuous for the packages that do exist.
 */
@AnalyzeClasses(packages = "org.civharm.incident", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_and_api_do_not_depend_on_spring =
            noClasses().that().resideInAnyPackage("..incident.domain..", "..incident.api..")
                    .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                    .because("the aggregate and its commands are framework-neutral (Axon only), testable without "
                            + "a Spring context")
                    .allowEmptyShould(true);

    @ArchTest
    static final ArchRule domain_does_not_depend_on_adapters =
            noClasses().that().resideInAPackage("..incident.domain..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("..incident.web..", "..incident.views..", "..incident.messaging..")
                    .because("the domain is the centre; web, views and messaging are adapters around it")
                    .allowEmptyShould(true);

    @ArchTest
    static final ArchRule no_dependency_on_other_services =
            noClasses().that().resideInAPackage("org.civharm.incident..")
                    .should().dependOnClassesThat()
                    .resideInAnyPackage("org.civharm.accountability..", "org.civharm.notification..")
                    .because("services talk through the published event contract (org.civharm.contract), "
                            + "never through each other's code");

    @ArchTest
    static final ArchRule views_do_not_depend_on_web =
            noClasses().that().resideInAPackage("..incident.views..")
                    .should().dependOnClassesThat().resideInAPackage("..incident.web..")
                    .because("the read models are served by the web layer, not the other way round")
                    .allowEmptyShould(true);

    /** Guards against the rules above passing vacuously because the import missed the packages they are about. */
    @ArchTest
    static void the_rules_see_the_main_packages(JavaClasses classes) {
        assertThat(classes.containPackage("org.civharm.incident.domain")).as("domain package imported").isTrue();
        assertThat(classes.containPackage("org.civharm.incident.api")).as("api package imported").isTrue();
        assertThat(classes.contain("org.civharm.incident.domain.Allegation")).as("aggregate imported").isTrue();
        assertThat(classes.contain(ArchitectureTest.class)).as("test classes are not analysed").isFalse();
    }
}

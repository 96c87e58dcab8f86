package io.splitrank.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps the walls of docs/architecture.md standing; each rule names classes that exist, so it can
 * fail.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.splitrank");
    }

    @Test
    void everyModuleIsOnTheClasspathSoTheRulesBelowCanFail() {
        for (String module : new String[] {"experiments", "stats", "models", "app"}) {
            assertThat(classes.that(resideInAPackage("io.splitrank." + module + "..")).size())
                    .as(module + " classes imported")
                    .isGreaterThan(10);
        }
    }

    @Test
    void pureModulesUseNeitherSpringNorJdbcNorEachOther() {
        for (String module : new String[] {"experiments", "stats", "models"}) {
            noClasses()
                    .that()
                    .resideInAPackage("io.splitrank." + module + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.springframework..",
                            "jakarta.persistence..",
                            "java.sql..",
                            "io.splitrank.app..")
                    .check(classes);
        }
        noClasses()
                .that()
                .resideInAPackage("io.splitrank.experiments..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.splitrank.stats..", "io.splitrank.models..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.splitrank.stats..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.splitrank.experiments..", "io.splitrank.models..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.splitrank.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.splitrank.experiments..", "io.splitrank.stats..")
                .check(classes);
    }

    @Test
    void theAppsFeaturePackagesFormNoCycles() {
        slices().matching("io.splitrank.app.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void webTypesStayInControllersAndTheWebPackages() {
        noClasses()
                .that()
                .resideInAPackage("io.splitrank.app..")
                .and()
                .areNotAnnotatedWith(RestController.class)
                .and()
                .resideOutsideOfPackages(
                        "io.splitrank.app.problem..",
                        "io.splitrank.app.security..",
                        "io.splitrank.app.dashboard..")
                // holds the report's server-sent-event connections: web plumbing by nature
                .and(
                        DescribedPredicate.describe(
                                "are not ReportStreams",
                                (JavaClass c) ->
                                        !c.getName()
                                                .startsWith(
                                                        "io.splitrank.app.report.ReportStreams")))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void controllersArePackagePrivate() {
        classes()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .notBePublic()
                .check(classes);
    }

    @Test
    void persistenceTypesStayInsideTheirFeature() {
        classes()
                .that()
                .areAnnotatedWith(jakarta.persistence.Entity.class)
                .should()
                .notBePublic()
                .check(classes);
    }
}

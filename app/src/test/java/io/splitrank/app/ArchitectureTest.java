package io.splitrank.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** Keeps the walls of DESIGN.md and STYLE.md standing. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.splitrank");
    }

    @Test
    void pureModulesUseNeitherSpringNorJdbcNorEachOther() {
        for (String module : new String[] {"experiments", "stats", "models"}) {
            noClasses().that().resideInAPackage("io.splitrank." + module + "..")
                    .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                            "java.sql..", "io.splitrank.app..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
        noClasses().that().resideInAPackage("io.splitrank.experiments..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitrank.stats..", "io.splitrank.models..")
                .allowEmptyShould(true).check(classes);
        noClasses().that().resideInAPackage("io.splitrank.stats..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitrank.experiments..", "io.splitrank.models..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void controllersArePackagePrivate() {
        classes().that().areAnnotatedWith(RestController.class)
                .should().notBePublic()
                .check(classes);
    }

    @Test
    void persistenceTypesStayInsideTheirFeature() {
        classes().that().areAnnotatedWith(jakarta.persistence.Entity.class)
                .should().notBePublic()
                .check(classes);
    }
}

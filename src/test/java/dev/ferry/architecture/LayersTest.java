package dev.ferry.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import dev.ferry.core.PlantedUpwardImport;

/**
 * The packages run one way (docs/ARCHITECTURE.md): a package may use the packages below it, never one above,
 * and no packages import each other in a circle.
 *
 * <pre>
 * main       dev.ferry (FerryMain)
 * cli        thin picocli commands
 * commands   check, demo, serve, status, verify, requeue: one package per command's own logic
 * run        FerryRun: lock, resume, replay, inbox, report; a file's delivery and its checkpoints
 * readback   reading a record back from the API (verify, and a run's reconciliation of ambiguous deliveries)
 * delivery   RecordDelivery: slot, breaker, the SmallRye-guarded sender on the REST client
 * target     the connection to the API: credentials, headers, TLS
 * state      every format on the volume
 * shape      records shaped for the API: types, renames, transforms, keys
 * ingest     readers: bytes to records
 * metrics    FerryMetrics, RunStats, the Pushgateway
 * core       config and the types every layer shares
 * </pre>
 */
class LayersTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ferry");

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("main").definedBy("dev.ferry")
                .layer("cli").definedBy("dev.ferry.cli..")
                .layer("commands").definedBy("dev.ferry.check..", "dev.ferry.demo..", "dev.ferry.serve..",
                        "dev.ferry.status..", "dev.ferry.verify..", "dev.ferry.requeue..")
                .layer("run").definedBy("dev.ferry.run..")
                .layer("readback").definedBy("dev.ferry.readback..")
                .layer("delivery").definedBy("dev.ferry.delivery..")
                .layer("target").definedBy("dev.ferry.target..")
                .layer("state").definedBy("dev.ferry.state..")
                .layer("shape").definedBy("dev.ferry.shape..")
                .layer("ingest").definedBy("dev.ferry.ingest..")
                .layer("metrics").definedBy("dev.ferry.metrics..")
                .layer("core").definedBy("dev.ferry.core..", "dev.ferry.config..")
                .whereLayer("main").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
                .whereLayer("commands").mayOnlyBeAccessedByLayers("main", "cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("main", "cli", "commands")
                .whereLayer("readback").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run")
                .whereLayer("delivery").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run", "readback")
                .whereLayer("target").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run", "readback",
                        "delivery")
                .whereLayer("state").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run", "delivery")
                .whereLayer("shape").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run", "delivery", "state",
                        "shape")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("main", "cli", "commands", "run", "delivery");
    }

    static ArchRule noCycles() {
        return slices().matching("dev.ferry.(*)..").should().beFreeOfCycles();
    }

    @Test
    void packages_useOnlyThePackagesBelowThem() {
        layers().check(MAIN);
    }

    @Test
    void packages_importEachOtherInNoCircle() {
        noCycles().check(MAIN);
    }

    @Test
    void anUpwardImport_breaksTheRules() {
        JavaClasses planted = new ClassFileImporter().importPackages("dev.ferry").that(
                com.tngtech.archunit.base.DescribedPredicate.describe("main classes and the planted one",
                        c -> MAIN.contain(c.getName()) || c.isEquivalentTo(PlantedUpwardImport.class)));

        assertThatThrownBy(() -> layers().check(planted)).hasMessageContaining("PlantedUpwardImport");
        assertThatThrownBy(() -> noCycles().check(planted)).hasMessageContaining("Cycle");
    }
}

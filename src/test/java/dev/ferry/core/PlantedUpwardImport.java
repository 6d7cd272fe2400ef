package dev.ferry.core;

import dev.ferry.run.FerryRun;

/** Test only: a core class that imports the run layer, which {@code LayersTest} must catch. */
public final class PlantedUpwardImport {

    FerryRun run;

    private PlantedUpwardImport() {
    }
}

package dev.ferry.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "ferry", mixinStandardHelpOptions = true)
public class FerryCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("hello");
    }
}

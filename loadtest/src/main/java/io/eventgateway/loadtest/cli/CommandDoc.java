package io.eventgateway.loadtest.cli;

import java.util.List;
import java.util.function.Function;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.scenario.Scenario;

/** A command of the load generator: its name, one line of help, its options and what it runs. */
public record CommandDoc(String name, String summary, List<OptionDoc> options, Function<Options, Scenario> factory) {

}

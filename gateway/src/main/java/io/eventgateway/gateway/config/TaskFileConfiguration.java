package io.eventgateway.gateway.config;

import java.nio.file.Path;
import java.time.Clock;

import io.eventgateway.core.task.TaskService;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.taskfile.StableFiles;
import io.eventgateway.core.taskfile.TaskFileWatcher;
import io.eventgateway.gateway.taskfile.TaskFileParser;
import io.eventgateway.gateway.taskfile.TaskFileReader;
import io.eventgateway.gateway.taskfile.TaskFileStream;
import io.eventgateway.gateway.taskfile.TaskFileWriteBack;
import io.eventgateway.gateway.taskfile.TaskWriteBack;
import io.eventgateway.gateway.taskfile.TaskFileSync;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Task files turned into task changes, when {@code gateway.tasks.watch-dir} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "gateway.tasks", name = "watch-dir")
public class TaskFileConfiguration {

	private static TaskFileReader taskFileReader(GatewayProperties properties) {
		return new TaskFileReader(Path.of(properties.tasks().watchDir()), properties.tasks().maxFileSize().toBytes());
	}

	@Bean
	TaskFileSync taskFileSync(TaskStore taskStore, TaskService taskService, JsonMapper json, Clock clock,
			MeterRegistry meters, GatewayProperties properties) {
		GatewayProperties.Tasks tasks = properties.tasks();
		return new TaskFileSync(taskStore, taskService,
				taskFileReader(properties),
				new TaskFileParser(json, tasks.maxTasks()), tasks.readTimeout(), clock, meters);
	}

	@Bean
	@ConditionalOnProperty(prefix = "gateway.tasks", name = "write-back", havingValue = "true")
	TaskWriteBack taskWriteBack(JsonMapper json, GatewayProperties properties) {
		GatewayProperties.Tasks tasks = properties.tasks();
		return new TaskFileWriteBack(Path.of(tasks.watchDir()), taskFileReader(properties), json);
	}

	@Bean
	TaskFileStream taskFileStream(TaskFileSync taskFileSync, GatewayProperties properties) {
		GatewayProperties.Tasks tasks = properties.tasks();
		return new TaskFileStream(new TaskFileWatcher(Path.of(tasks.watchDir()), tasks.polling(), tasks.pollInterval()),
				new StableFiles(tasks.stabilityThreshold(), tasks.maxPendingFiles(), Schedulers.parallel()), taskFileSync);
	}

}

package io.eventgateway.gateway.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Beans that exist only in {@link DeploymentMode#CLUSTER}, decided by the same rule as everything else. */
final class ClusterModeCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return DeploymentMode.of(context.getEnvironment().getProperty("gateway.database.url"),
				context.getEnvironment().getProperty("gateway.redis.url")) == DeploymentMode.CLUSTER;
	}

}

package io.splitrank.app.experiment;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExperimentConfiguration {

    /** Until a model registry is wired in, any well-formed model id is accepted. */
    @Bean
    @ConditionalOnMissingBean(ModelCatalog.class)
    ModelCatalog openModelCatalog() {
        return model -> true;
    }
}

package io.splitrank.app.problem;

import org.springframework.stereotype.Component;
import tools.jackson.databind.module.SimpleModule;

/**
 * Registers {@link JsonBodyProblems.Handler} on the app's JsonMapper. A module bean rather than a
 * {@code JsonMapperBuilderCustomizer}: Spring Boot adds every {@code JacksonModule} bean to the
 * mapper it builds, and its web test slices ({@code @WebMvcTest}) include module beans, so the
 * slices answer unreadable bodies as the app does.
 */
@Component
class JsonBodyProblemsModule extends SimpleModule {

    JsonBodyProblemsModule() {
        super("splitrank-json-body-problems");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addHandler(new JsonBodyProblems.Handler());
    }
}

package io.splitrank.app;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description's title and its bearer-key security scheme. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI splitrankOpenApi() {
        return new OpenAPI()
                .info(
                        new Info()
                                .title("Splitrank API")
                                .version("v1")
                                .description(
                                        "A/B experimentation for multi-task recommenders: experiments, assignment, events,"
                                                + " reports and analysis. Errors are RFC 9457 problem details with an `errors` list"
                                                + " naming each field at fault."))
                .components(
                        new Components()
                                .addSecuritySchemes(
                                        "apiKey",
                                        new SecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("bearer")
                                                .description("Authorization: Bearer <api key>")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}

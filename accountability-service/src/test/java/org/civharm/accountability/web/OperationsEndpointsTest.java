package org.civharm.accountability.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.civharm.accountability.support.ServiceIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators and client developers rely on: the OpenAPI document, health with Kafka and MongoDB, metrics. */
class OperationsEndpointsTest extends ServiceIntegrationTest {

    @Test
    void openapi_documents_every_endpoint() {
        JsonNode paths = body(get("/v3/api-docs")).get("paths");
        assertThat(paths.fieldNames()).toIterable().contains("/cases", "/cases/{caseId}", "/cases/{caseId}/file",
                "/cases/{caseId}/events", "/cases/{caseId}/investigations", "/cases/{caseId}/findings",
                "/cases/{caseId}/attributions", "/cases/{caseId}/explanations", "/cases/{caseId}/apologies",
                "/cases/{caseId}/amends", "/cases/{caseId}/amends/{amendsId}/payments",
                "/cases/{caseId}/amends/{amendsId}/declines", "/cases/{caseId}/correspondence",
                "/cases/{caseId}/correspondence/{letterId}/replies", "/cases/{caseId}/closure",
                "/cases/{caseId}/reopenings", "/amends");
    }

    @Test
    void health_checks_kafka_and_mongodb_and_metrics_are_exposed_for_prometheus() {
        JsonNode health = body(get("/actuator/health"));
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/mongo/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/mongo/details/database").asText()).isEqualTo(DATABASE);
        String metrics = get("/actuator/prometheus").getBody();
        assertThat(metrics).contains("civharm_kafka_parked_records_total").contains("application=\"accountability-service\"");
    }
}

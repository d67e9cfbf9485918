package org.civharm.infra.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.integrity.EventHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline verifier on an export built from the published contract examples, intact and tampered with. */
class VerifyExportTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dir;

    @Test
    void anIntactExportVerifiesAndATamperedOneNamesTheEvent() throws Exception {
        CaseExport export = exportOfExamples();
        Path file = dir.resolve("export.json");
        Files.writeString(file, json.writeValueAsString(export));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(VerifyExport.run(new String[]{file.toString()}, new PrintStream(out), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("VERIFIED case RAQQA-2017-0628: 6 events");

        ObjectNode tampered = (ObjectNode) json.readTree(file.toFile());
        ((ObjectNode) tampered.at("/streams/0/events/1/event")).put("statedReason", "the strike was lawful");
        Files.writeString(file, json.writeValueAsString(tampered));
        out.reset();
        assertThat(VerifyExport.run(new String[]{file.toString()}, new PrintStream(out), System.err)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("BROKEN").contains("sequence 1 (AllegationDismissed");

        ObjectNode removed = (ObjectNode) json.readTree(json.writeValueAsString(export));
        ((com.fasterxml.jackson.databind.node.ArrayNode) removed.at("/streams/0/events")).remove(2);
        Files.writeString(file, json.writeValueAsString(removed));
        out.reset();
        assertThat(VerifyExport.run(new String[]{file.toString()}, new PrintStream(out), System.err)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("expected sequence 2 but found 3");

        assertThat(VerifyExport.run(new String[]{dir.resolve("missing.json").toString()}, new PrintStream(out),
                new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
    }

    private CaseExport exportOfExamples() throws Exception {
        List<CaseExport.ExportedEvent> events = new ArrayList<>();
        for (String type : List.of("AllegationFiled", "AllegationDismissed", "EvidenceAttached", "CasualtyFiguresRevised",
                "AllegationReopened", "AllegationAcknowledged")) {
            JsonNode envelope = json.readTree(getClass().getResourceAsStream("/examples/incident/" + type + ".json"));
            events.add(new CaseExport.ExportedEvent(envelope.get("sequence").asLong(), envelope.get("eventId").asText(),
                    type, Instant.parse(envelope.get("recordedAt").asText()), envelope.get("hash").asText(),
                    envelope.get("previousHash").asText(), envelope.get("event")));
        }
        assertThat(events.get(0).previousHash()).isEqualTo(EventHashes.GENESIS);
        return CaseExport.of("RAQQA-2017-0628", Instant.parse("2026-01-01T00:00:00Z"), "auditor",
                List.of(CaseExport.stream("incident-service", events)));
    }
}

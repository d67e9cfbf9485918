package org.civharm.infra.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.civharm.contract.integrity.CaseExport;
import org.civharm.contract.integrity.ExportVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies a case export offline, with no service running: {@code infra/verify-export.sh case.json} (or {@code -}
 * for standard input). Recomputes every event's hash from its JSON, every link, each stream's head and the top hash.
 * Exit code 0 when the export verifies, 1 when it does not, 2 when the file cannot be read.
 */
public final class VerifyExport {

    private VerifyExport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: verify-export.sh <export.json | ->");
            return 2;
        }
        CaseExport export;
        try (InputStream in = "-".equals(args[0]) ? System.in : Files.newInputStream(Path.of(args[0]))) {
            export = new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, CaseExport.class);
        } catch (IOException e) {
            err.println("cannot read the export: " + e.getMessage());
            return 2;
        }
        List<String> problems = ExportVerifier.verify(export);
        int events = export.streams().stream().mapToInt(s -> s.events().size()).sum();
        if (problems.isEmpty()) {
            out.println("VERIFIED case " + export.caseId() + ": " + events + " events in " + export.streams().size()
                    + " stream(s), top hash " + export.topHash());
            export.streams().forEach(s -> out.println("  " + s.producedBy() + ": " + s.events().size()
                    + " events, head " + s.headHash()));
            return 0;
        }
        out.println("BROKEN case " + export.caseId() + ":");
        problems.forEach(p -> out.println("  " + p));
        return 1;
    }
}

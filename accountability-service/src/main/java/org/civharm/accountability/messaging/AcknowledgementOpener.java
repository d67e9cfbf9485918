package org.civharm.accountability.messaging;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.civharm.accountability.api.IncidentStatus;
import org.civharm.accountability.api.OpenAccountabilityRecordCommand;
import org.civharm.contract.accountability.OpeningTrigger;
import org.civharm.contract.incident.AllegationAcknowledgedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens a case's accountability record when incident-service publishes its acknowledgement. Idempotent: the record's
 * aggregate id is the case id, so a redelivered or replayed acknowledgement (or one for a case whose record was
 * opened by hand earlier) fails to create a second stream in the event store, which is read as "already open".
 */
@Component
public class AcknowledgementOpener {

    /** The actor of records opened automatically. */
    public static final String ACTOR = "accountability-service";
    private static final Logger log = LoggerFactory.getLogger(AcknowledgementOpener.class);

    private final CommandGateway commands;

    public AcknowledgementOpener(CommandGateway commands) {
        this.commands = commands;
    }

    /** @return true if this call opened the record, false if it was open already */
    public boolean open(AllegationAcknowledgedEvent ack, String acknowledgementEventId) {
        String reason = "acknowledged as credible by " + ack.assessedBy()
                + (ack.statement() != null && ack.statement().title() != null ? " in " + ack.statement().title() : "")
                + (ack.concededKilled() != null ? "; civilian deaths conceded: " + range(ack.concededKilled().min(),
                ack.concededKilled().max()) : "")
                + (ack.reversesDismissal() ? "; reverses an earlier dismissal" : "");
        try {
            commands.sendAndWait(new OpenAccountabilityRecordCommand(ack.caseId(), OpeningTrigger.ACKNOWLEDGEMENT,
                    acknowledgementEventId, IncidentStatus.CREDIBLE, reason, ACTOR, ack.occurredAt()));
            log.info("opened the accountability record of case {} on acknowledgement {}", ack.caseId(),
                    acknowledgementEventId);
            return true;
        } catch (RuntimeException e) {
            if (isStreamCreationConflict(e)) {
                log.info("accountability record of case {} is already open; acknowledgement {} changes nothing",
                        ack.caseId(), acknowledgementEventId);
                return false;
            }
            throw e; // transient (event store unreachable): the listener retries the record
        }
    }

    static boolean isStreamCreationConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }

    private static String range(int min, int max) {
        return min == max ? String.valueOf(min) : min + "-" + max;
    }
}

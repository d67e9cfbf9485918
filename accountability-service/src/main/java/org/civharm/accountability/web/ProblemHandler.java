package org.civharm.accountability.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.civharm.accountability.domain.InvalidCommandException;
import org.civharm.accountability.domain.RefusedTransitionException;
import org.civharm.accountability.messaging.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.NonNull;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every refusal as RFC 9457 problem+json. A 400 lists each offending field by its JSON path in {@code errors}; a
 * 409 says why the record's state refuses the step. The store (MongoDB) unreachable is a 503 with Retry-After,
 * whichever layer met it (a command's load or append, a view read, a dead-letter retry). Anything unexpected is a
 * 500 and is logged as the bug it is.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final URI INVALID = URI.create("https://civharm.org/problems/invalid-request");
    private static final URI REFUSED = URI.create("https://civharm.org/problems/refused-transition");
    private static final URI NOT_FOUND = URI.create("https://civharm.org/problems/case-not-found");
    private static final URI CONFLICT = URI.create("https://civharm.org/problems/concurrent-change");
    private static final URI ALREADY_OPEN = URI.create("https://civharm.org/problems/record-already-open");
    private static final URI UNAVAILABLE = URI.create("https://civharm.org/problems/store-unavailable");
    /** Seconds a client is asked to wait after a 503 (about one server-selection timeout). */
    static final String RETRY_AFTER_SECONDS = "5";
    private static final URI DEAD_LETTER_REFUSED = URI.create("https://civharm.org/problems/dead-letter-refused");
    private static final URI DEAD_LETTER_NOT_FOUND = URI.create("https://civharm.org/problems/dead-letter-not-found");

    @ExceptionHandler(DeadLetters.NotFoundException.class)
    ResponseEntity<Object> deadLetterNotFound(DeadLetters.NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, DEAD_LETTER_NOT_FOUND, "Dead letter not found", e.getMessage(), Map.of());
    }

    @ExceptionHandler(DeadLetters.RefusedException.class)
    ResponseEntity<Object> deadLetterRefused(DeadLetters.RefusedException e) {
        return problem(HttpStatus.CONFLICT, DEAD_LETTER_REFUSED, "Refused by the dead letter's state", e.getMessage(),
                Map.of());
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalid(InvalidRequestException e) {
        return invalid(e.problems());
    }

    @ExceptionHandler(InvalidCommandException.class)
    ResponseEntity<Object> invalidCommand(InvalidCommandException e) {
        return invalid(List.of(new InvalidRequestException.FieldProblem(e.field(), e.problem())));
    }

    @ExceptionHandler(RefusedTransitionException.class)
    ResponseEntity<Object> refused(RefusedTransitionException e) {
        return problem(HttpStatus.CONFLICT, REFUSED, "Refused by the record's state", e.getMessage(), Map.of());
    }

    @ExceptionHandler(CaseNotFoundException.class)
    ResponseEntity<Object> notFound(CaseNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Case not found", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> aggregateNotFound(AggregateNotFoundException e) {
        return notFound(CaseNotFoundException.record(String.valueOf(e.getAggregateIdentifier())));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> concurrency(ConcurrencyException e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, "Concurrent change",
                "the record was changed by another request at the same time; read it and retry", Map.of());
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<Object> alreadyOpen(AggregateStreamCreationException e) {
        return alreadyOpen();
    }

    @ExceptionHandler(RecordAlreadyOpenException.class)
    ResponseEntity<Object> alreadyOpen(RecordAlreadyOpenException e) {
        return alreadyOpen();
    }

    private static ResponseEntity<Object> alreadyOpen() {
        return problem(HttpStatus.CONFLICT, ALREADY_OPEN, "Record already open",
                "an accountability record of this case is already on record; add to it instead",
                Map.of("errors", List.of(Map.of("field", "caseId", "message", "already has an accountability record"))));
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<Object> commandFailed(CommandExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RefusedTransitionException r) {
            return refused(r);
        }
        if (cause instanceof InvalidCommandException i) {
            return invalidCommand(i);
        }
        if (cause instanceof AggregateStreamCreationException a) {
            return alreadyOpen(a);
        }
        if (cause instanceof ConcurrencyException c) {
            return concurrency(c);
        }
        if (cause instanceof AggregateNotFoundException a) {
            return aggregateNotFound(a);
        }
        return unexpected(e);
    }

    /**
     * Whether the failure is the store being unreachable: the driver found no server in time or lost its connection,
     * anywhere in the cause chain (Axon and Spring wrap it), or Axon's event store did not take an append for a
     * reason other than a concurrent change (Axon keeps only the driver's message then). Nothing was recorded: the
     * command is refused before or at its single append.
     */
    static boolean storeUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoServerUnavailableException) {
                return true;
            }
            if (t instanceof EventStoreException && !(t instanceof ConcurrencyException)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static ResponseEntity<Object> unavailable(Throwable e) {
        log.warn("store unavailable: {}", e.toString());
        ResponseEntity<Object> response = problem(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, "Store unavailable",
                "the case store cannot be reached right now; nothing was recorded; retry shortly", Map.of());
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(response.getBody());
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException e) {
        return problem(HttpStatus.UNAUTHORIZED, null, "Not authenticated", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> forbidden(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, null, "Forbidden", e.getMessage(), Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        if (storeUnavailable(e)) {
            return unavailable(e);
        }
        log.error("unexpected failure", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, "Internal error",
                "an unexpected error occurred; it has been logged", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(@NonNull MethodArgumentNotValidException ex,
                                                                  @NonNull HttpHeaders headers,
                                                                  @NonNull HttpStatusCode status,
                                                                  @NonNull WebRequest request) {
        List<InvalidRequestException.FieldProblem> problems = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> new InvalidRequestException.FieldProblem(f.getField(), messageOf(f)))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return invalid(problems);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(@NonNull HttpMessageNotReadableException ex,
                                                                  @NonNull HttpHeaders headers,
                                                                  @NonNull HttpStatusCode status,
                                                                  @NonNull WebRequest request) {
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (c instanceof RequestSizeLimitFilter.TooLarge) {
                return problem(HttpStatus.PAYLOAD_TOO_LARGE, INVALID, "Request too large", c.getMessage(), Map.of());
            }
        }
        Throwable cause = ex.getMostSpecificCause();
        if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping.getPath());
            String message;
            if (mapping instanceof UnrecognizedPropertyException) {
                message = "is not a known field";
            } else if (mapping instanceof InvalidFormatException format) {
                message = "cannot be read as " + format.getTargetType().getSimpleName()
                        + (format.getTargetType().isEnum() ? " (one of " + List.of(format.getTargetType().getEnumConstants()) + ")" : "");
            } else {
                message = "has the wrong type or shape";
            }
            return invalid(List.of(new InvalidRequestException.FieldProblem(field, message)));
        }
        String detail = cause.getMessage() == null ? "the body is not valid JSON" : firstLine(cause.getMessage());
        return invalid(List.of(new InvalidRequestException.FieldProblem("body", detail)));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(@NonNull MissingServletRequestParameterException ex,
                                                                          @NonNull HttpHeaders headers,
                                                                          @NonNull HttpStatusCode status,
                                                                          @NonNull WebRequest request) {
        return invalid(List.of(new InvalidRequestException.FieldProblem(ex.getParameterName(), "is required")));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e) {
        return invalid(List.of(new InvalidRequestException.FieldProblem(e.getHeaderName(), "header is required")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "the expected type"
                : type.isEnum() ? "one of " + List.of(type.getEnumConstants()) : type.getSimpleName();
        return invalid(List.of(new InvalidRequestException.FieldProblem(e.getName(), "must be " + expected)));
    }

    private static ResponseEntity<Object> invalid(List<InvalidRequestException.FieldProblem> problems) {
        String detail = problems.stream().map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, INVALID, "Invalid request", detail,
                Map.of("errors", problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList()));
    }

    private static ResponseEntity<Object> problem(HttpStatus status, URI type, String title, String detail,
                                                  Map<String, Object> properties) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        if (type != null) {
            body.setType(type);
        }
        body.setTitle(title);
        properties.forEach(body::setProperty);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String messageOf(FieldError f) {
        return f.getDefaultMessage() == null ? "is invalid" : f.getDefaultMessage();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}

package org.civharm.incident.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.civharm.incident.domain.RefusedTransitionException;
import org.civharm.incident.views.CaseEventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
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
 * 409 says why the case's state refuses the step. Anything unexpected is a 500 and is logged as the bug it is.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final URI INVALID = URI.create("https://civharm.org/problems/invalid-request");
    private static final URI REFUSED = URI.create("https://civharm.org/problems/refused-transition");
    private static final URI NOT_FOUND = URI.create("https://civharm.org/problems/case-not-found");
    private static final URI CONFLICT = URI.create("https://civharm.org/problems/concurrent-change");
    private static final URI UNAVAILABLE = URI.create("https://civharm.org/problems/store-unavailable");

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> invalid(InvalidRequestException e) {
        return invalid(e.problems());
    }

    @ExceptionHandler(RefusedTransitionException.class)
    ResponseEntity<Object> refused(RefusedTransitionException e) {
        return problem(HttpStatus.CONFLICT, REFUSED, "Refused by the case's state", e.getMessage(), Map.of());
    }

    @ExceptionHandler(CaseNotFoundException.class)
    ResponseEntity<Object> notFound(CaseNotFoundException e) {
        if (e.field() != null) {
            return problem(HttpStatus.CONFLICT, NOT_FOUND, "Referenced case not on record", e.getMessage(),
                    Map.of("errors", List.of(Map.of("field", e.field(), "message", e.getMessage()))));
        }
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Case not found", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> aggregateNotFound(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Case not found",
                "no case " + e.getAggregateIdentifier() + " is on record", Map.of());
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> concurrency(ConcurrencyException e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, "Concurrent change",
                "the case already exists or was changed by another request at the same time; read it and retry ("
                        + e.getMessage() + ")", Map.of());
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<Object> alreadyExists(AggregateStreamCreationException e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, "Case already exists",
                "a case with this caseId is already on record; file under another caseId or update the existing case",
                Map.of("errors", List.of(Map.of("field", "caseId", "message", "is already on record"))));
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<Object> commandFailed(CommandExecutionException e) {
        Throwable cause = e.getCause();
        // the store may fail on the load or, for a case already in memory, only on the append (wrapped by Axon)
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException) {
                return storeUnavailable((MongoException) t);
            }
            if (t instanceof EventStoreException store) {
                return appendFailed(store);
            }
        }
        if (cause instanceof RefusedTransitionException r) {
            return refused(r);
        }
        if (cause instanceof AggregateStreamCreationException a) {
            return alreadyExists(a);
        }
        if (cause instanceof ConcurrencyException c) {
            return concurrency(c);
        }
        if (cause instanceof AggregateNotFoundException a) {
            return aggregateNotFound(a);
        }
        return unexpected(e);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException e) {
        return problem(HttpStatus.UNAUTHORIZED, null, "Not authenticated", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> forbidden(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, null, "Forbidden", e.getMessage(), Map.of());
    }

    /** The store is unreachable: nothing was appended; the caller may retry. */
    @ExceptionHandler({MongoTimeoutException.class, MongoSocketException.class})
    ResponseEntity<Object> storeUnavailable(MongoException e) {
        log.warn("event store unavailable: {}", e.getMessage());
        return unavailable("the case store cannot be reached right now; nothing was recorded; retry shortly");
    }

    /**
     * The event store did not take an append, for a reason other than a concurrent change (that is a
     * {@code ConcurrencyException}, 409) — in practice the store unreachable while the case was already in memory,
     * so only the append met the outage. Axon drops the driver's exception and keeps its message. The caller may
     * retry: if the append was recorded after all (a write that timed out on a replica set), the retry answers 409.
     */
    @ExceptionHandler(EventStoreException.class)
    ResponseEntity<Object> appendFailed(EventStoreException e) {
        log.warn("event store did not take the append: {}", e.getMessage());
        return unavailable("the case store did not take the change right now; retry shortly");
    }

    /** 503 problem+json with Retry-After: the caller may send the same request again shortly. */
    private ResponseEntity<Object> unavailable(String detail) {
        ResponseEntity<Object> response = problem(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, "Store unavailable",
                detail, Map.of());
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "5").body(response.getBody());
    }

    /**
     * A case's stream that failed after its response was sent in part (CaseEventStream): too late for a problem.
     * Rethrown (the container logs it), so that the container drops the connection and the client sees the transfer
     * fail, not a stream that merely ends early.
     */
    @ExceptionHandler(CaseEventStream.CutShortException.class)
    void streamCutShort(CaseEventStream.CutShortException e) {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
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

    private ResponseEntity<Object> invalid(List<InvalidRequestException.FieldProblem> problems) {
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
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
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

package org.civharm.notification.web;

import java.util.List;

/** A request refused for its content (served as 400 problem+json listing each field). */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** One refused field: its JSON path (or parameter name) and what is wrong with it. */
    public record FieldProblem(String field, String message) {
    }
}

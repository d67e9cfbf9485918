package org.civharm.accountability.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.civharm.contract.accountability.AmendsType;
import org.civharm.contract.accountability.Attribution;
import org.civharm.contract.accountability.Certainty;
import org.civharm.contract.accountability.DeclinedBy;
import org.civharm.contract.accountability.IhlViolationFinding;
import org.civharm.contract.accountability.InvestigatingBody;
import org.civharm.contract.accountability.InvestigationScope;
import org.civharm.contract.accountability.LetterKind;
import org.civharm.contract.accountability.Money;
import org.civharm.contract.accountability.ResponsibilityRole;
import org.civharm.contract.accountability.Visibility;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Request bodies of the REST API. Bean Validation checks each field; {@code check(...)} methods add the rules that
 * span fields, naming the offending field by its JSON path. Rules that depend on the record (a payment in the
 * offer's currency, an answer not dated before its letter) are kept by the aggregate.
 * <p>
 * {@code occurredAt} is when the step happened in the world. It defaults to the start (UTC) of the step's own date
 * where it has one ({@code paidOn}, {@code sentOn}, {@code answeredOn}), otherwise to the time of the request.
 */
public final class Requests {

    /** Case ids as chosen at filing (see incident-service); kept URL- and log-safe. */
    public static final String CASE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}";
    static final String INVESTIGATION_ID_PATTERN = "INV-[1-9][0-9]{0,5}";
    static final String AMENDS_ID_PATTERN = "AM-[1-9][0-9]{0,5}";
    static final String LETTER_ID_PATTERN = "L-[1-9][0-9]{0,5}";
    /** A pseudonymous family reference such as FAM-RQ-0628-01: never a name. */
    static final String FAMILY_REFERENCE_PATTERN = "[A-Za-z0-9][A-Za-z0-9._/-]{0,63}";
    static final String FAMILY_REFERENCE_MESSAGE =
            "must be a pseudonymous reference (1-64 letters, digits, '.', '_', '/' or '-'), never a name";

    private Requests() {
    }

    public record OpenRecordRequest(
            @NotBlank @Pattern(regexp = CASE_ID_PATTERN, message = "must be 3-64 letters, digits, '.', '_' or '-'") String caseId,
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }

    public record OpenInvestigationRequest(
            @NotNull InvestigatingBody conductedBy,
            @NotBlank @Size(max = 200) String bodyName,
            @NotEmpty @Size(max = 10) List<@NotNull InvestigationScope> scope,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            Set<InvestigationScope> seen = new HashSet<>();
            for (int i = 0; i < scope.size(); i++) {
                if (!seen.add(scope.get(i))) {
                    problems.add("scope[" + i + "]", "names " + scope.get(i) + " twice");
                }
            }
        }
    }

    public record FindingsRequest(
            @NotBlank @Pattern(regexp = INVESTIGATION_ID_PATTERN, message = "must be an investigation id such as INV-1") String investigationId,
            @NotNull IhlViolationFinding ihlViolation,
            @NotBlank @Size(max = 20_000) String summary,
            @NotNull Boolean published,
            @Size(max = 2000) String publicationReference,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            boolean hasReference = publicationReference != null && !publicationReference.isBlank();
            if (Boolean.TRUE.equals(published) && !hasReference) {
                problems.add("publicationReference", "is required when the findings were published");
            }
            if (Boolean.FALSE.equals(published) && hasReference) {
                problems.add("publicationReference", "applies only to published findings");
            }
        }
    }

    public record AttributionBody(@NotBlank @Size(max = 100) String memberState,
                                  @NotNull ResponsibilityRole role,
                                  @NotNull Certainty certainty) {
        Attribution toAttribution() {
            return new Attribution(memberState.strip(), role, certainty);
        }
    }

    public record AttributionRequest(
            @NotEmpty @Size(max = 30) List<@NotNull @Valid AttributionBody> attributions,
            @NotBlank @Size(max = 2000) String basis,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            for (int i = 0; i < attributions.size(); i++) {
                for (int j = 0; j < i; j++) {
                    AttributionBody a = attributions.get(i);
                    AttributionBody b = attributions.get(j);
                    if (a.memberState() != null && b.memberState() != null && a.role() == b.role()
                            && a.memberState().strip().equalsIgnoreCase(b.memberState().strip())) {
                        problems.add("attributions[" + i + "]", "repeats attributions[" + j + "] (same member state and role)");
                    }
                }
            }
        }

        List<Attribution> toAttributions() {
            return attributions.stream().map(AttributionBody::toAttribution).toList();
        }
    }

    public record ExplanationRequest(
            @NotBlank @Pattern(regexp = FAMILY_REFERENCE_PATTERN, message = FAMILY_REFERENCE_MESSAGE) String recipientFamilyReference,
            @NotBlank @Size(max = 2000) String whatWasTargeted,
            @NotBlank @Size(max = 5000) String why,
            @Size(max = 5000) String precautionsTaken,
            @NotNull Visibility visibility,
            @PastOrPresent Instant occurredAt) {
    }

    public record ApologyRequest(
            @NotBlank @Size(max = 200) String issuedBy,
            @Pattern(regexp = FAMILY_REFERENCE_PATTERN, message = FAMILY_REFERENCE_MESSAGE) String recipientFamilyReference,
            @NotBlank @Size(max = 5000) String text,
            @NotNull Visibility visibility,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (visibility == Visibility.PRIVATE && (recipientFamilyReference == null || recipientFamilyReference.isBlank())) {
                problems.add("recipientFamilyReference", "is required for a PRIVATE apology: the family it was made to");
            }
        }
    }

    /** An amount: a positive decimal (never binary floating point) in an ISO 4217 currency. */
    public record MoneyBody(
            @NotNull @DecimalMin(value = "0", inclusive = false, message = "must be greater than 0")
            @Digits(integer = 15, fraction = 4, message = "must have at most 15 digits before and 4 after the point") BigDecimal amount,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency) {

        void check(String path, Problems problems) {
            if (currency == null || !currency.matches("[A-Z]{3}")) {
                return;
            }
            Currency known;
            try {
                known = Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                problems.add(path + ".currency", "is not an ISO 4217 currency code");
                return;
            }
            int digits = known.getDefaultFractionDigits();
            if (amount != null && digits >= 0 && amount.stripTrailingZeros().scale() > digits) {
                problems.add(path + ".amount", "has more decimal places than " + currency + " allows (" + digits + ")");
            }
        }

        Money toMoney() {
            return new Money(amount, currency);
        }
    }

    public record OfferAmendsRequest(
            @NotNull AmendsType type,
            @NotBlank @Size(max = 200) String offeredBy,
            @Valid MoneyBody offer,
            @NotBlank @Pattern(regexp = FAMILY_REFERENCE_PATTERN, message = FAMILY_REFERENCE_MESSAGE) String recipientFamilyReference,
            @NotBlank @Size(max = 2000) String description,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (offer == null && (type == AmendsType.COMPENSATION || type == AmendsType.EX_GRATIA)) {
                problems.add("offer", "is required for " + type + " amends: the amount offered");
            }
            if (offer != null) {
                offer.check("offer", problems);
            }
        }
    }

    public record PaymentRequest(
            @Valid MoneyBody paid,
            @Pattern(regexp = FAMILY_REFERENCE_PATTERN, message = FAMILY_REFERENCE_MESSAGE) String recipientFamilyReference,
            @NotNull @PastOrPresent LocalDate paidOn,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (paid != null) {
                paid.check("paid", problems);
            }
        }
    }

    public record DeclineRequest(
            @NotNull DeclinedBy declinedBy,
            @NotBlank @Size(max = 200) String by,
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }

    public record LetterRequest(
            @NotNull LetterKind kind,
            @NotBlank @Size(max = 200) String from,
            @NotBlank @Size(max = 200) String to,
            @NotNull @PastOrPresent LocalDate sentOn,
            @NotBlank @Size(max = 5000) String asked,
            @NotNull LocalDate responseDueOn,
            @PastOrPresent Instant occurredAt) {

        void check(Problems problems) {
            if (sentOn != null && responseDueOn != null && responseDueOn.isBefore(sentOn)) {
                problems.add("responseDueOn", "must not be before sentOn (" + sentOn + ")");
            }
        }
    }

    public record ReplyRequest(
            @NotNull @PastOrPresent LocalDate answeredOn,
            @NotBlank @Size(max = 5000) String summary,
            @PastOrPresent Instant occurredAt) {
    }

    public record ReasonRequest(
            @NotBlank @Size(max = 2000) String reason,
            @PastOrPresent Instant occurredAt) {
    }
}

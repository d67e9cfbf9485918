package org.civharm.accountability.web;

/** Checks the ids of a record's parts taken from paths before they reach the aggregate. */
final class Ids {

    private Ids() {
    }

    static String amends(String amendsId) {
        if (amendsId == null || !amendsId.matches(Requests.AMENDS_ID_PATTERN)) {
            throw InvalidRequestException.of("amendsId", "must be an amends id such as AM-1");
        }
        return amendsId;
    }

    static String letter(String letterId) {
        if (letterId == null || !letterId.matches(Requests.LETTER_ID_PATTERN)) {
            throw InvalidRequestException.of("letterId", "must be a letter id such as L-1");
        }
        return letterId;
    }
}

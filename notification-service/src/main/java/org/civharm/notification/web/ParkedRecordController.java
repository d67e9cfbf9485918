package org.civharm.notification.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.civharm.notification.store.ParkedRecordStore;
import org.civharm.notification.web.Responses.PageResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Kafka records that could not be read, kept whole with the reason. */
@RestController
@RequestMapping(path = "/parked-records", produces = "application/json")
@Tag(name = "Parked records", description = "Unreadable records of the consumed topics, set aside")
public class ParkedRecordController {

    private final ParkedRecordStore store;

    public ParkedRecordController(ParkedRecordStore store) {
        this.store = store;
    }

    @GetMapping
    @Operation(summary = "List parked records, oldest first")
    public PageResponse<ParkedRecordStore.ParkedRecord> list(@RequestParam(defaultValue = "0") int page,
                                                            @RequestParam(defaultValue = "50") int size) {
        Problems problems = new Problems();
        problems.page(page, size);
        problems.throwIfAny();
        return PageResponse.of(store.list(page, size), r -> r);
    }
}

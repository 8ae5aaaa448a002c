package io.tally.container.query;

import io.tally.container.state.ContainerStatus;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link ContainerStatus} as Docker's word, the text the {@code state} columns have always held. */
@Converter
public class ContainerStatusColumn implements AttributeConverter<ContainerStatus, String> {
    @Override
    public String convertToDatabaseColumn(ContainerStatus status) {
        return status == null ? null : status.word();
    }

    @Override
    public ContainerStatus convertToEntityAttribute(String word) {
        return word == null ? null : ContainerStatus.of(word);
    }
}

package io.splitrank.stats;

/** How a treatment is compared with the control. */
public enum DifferenceType {
    /** (m_B − m_A) / |m_A|, variance by the delta method. */
    RELATIVE,
    /** m_B − m_A. */
    ABSOLUTE
}

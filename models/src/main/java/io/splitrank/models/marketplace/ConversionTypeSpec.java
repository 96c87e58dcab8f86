package io.splitrank.models.marketplace;

/**
 * One conversion type (one CVR task), e.g. install, register, purchase. Every advertiser, and so
 * every one of its ads, optimises exactly one type.
 *
 * @param name the type name, e.g. {@code purchase}
 * @param advertiserShare the share of advertisers with this type (normalised over all types)
 * @param bias c_t, the conversion logit's intercept
 * @param sharedWeight κ_t, the weight of the shared affinity (the one the click uses)
 * @param specificWeight ζ_t, the weight of this type's own affinity
 * @param wealthWeight ω_t, the weight of the user's hidden wealth
 * @param valued whether a conversion of this type carries an amount (a purchase value)
 */
public record ConversionTypeSpec(
        String name,
        double advertiserShare,
        double bias,
        double sharedWeight,
        double specificWeight,
        double wealthWeight,
        boolean valued) {

    public ConversionTypeSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("conversion type name is required");
        }
        if (!(advertiserShare > 0)) {
            throw new IllegalArgumentException("advertiserShare of " + name + " must be positive");
        }
    }
}

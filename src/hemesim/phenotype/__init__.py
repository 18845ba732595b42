"""hemesim.phenotype: erythroblasts -> clinical readouts, disease call, mosaic, treatments.

Public entry points (import them from their modules; nothing heavy is imported here):

- ``hemesim.phenotype.predict.predict(variant, sex, xi, treatment, *, seed, n_women)`` ->
  ``Prediction`` (also ``hemesim.predict``);
- ``hemesim.phenotype.penetrance.penetrance(variant, *, seed, age_years)`` -> ``PenetranceResult``
  (``float(result)`` is the heterozygous-female penetrance for the pedigree engine);
- ``hemesim.phenotype.validation.run_validation()`` -> ``ValidationReport`` (``.to_html()``);
- ``hemesim.phenotype.mechanisms.compare_mechanisms()`` -> XLP vs EPP vs iron deficiency;
- ``hemesim.phenotype.xinactivation.xi_distribution(age_years)`` -> the population of xi;
- ``hemesim.phenotype.cohort_support.female_cohort_sets(variant, n_women, *, seed)`` -> the two
  parameter sets a batched engine needs for a cohort of heterozygous women.

See docs/phenotype.md for the science, the sources and the simplifications.
"""
